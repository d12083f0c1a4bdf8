/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Where `npm run dev` sends API calls: ./run.sh serves the API on :8080 by default.
const apiTarget = process.env.DASHBOARD_API ?? 'http://localhost:8080';

// In a deployment the Web host serves /dashboard/config.json; the dev server stands in for it with
// local sign-in (the token comes in the URL fragment that `./run.sh token --dashboard` prints).
// `vite preview` (the production build) also sends the strict Content-Security-Policy the host is
// meant to send, so a violation shows in the browser console before the host integration exists.
function devConfigJson(): Plugin {
  const serveConfig = (_req: unknown, res: { setHeader(name: string, value: string): void; end(body: string): void }) => {
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify({ auth_mode: 'local', cognito_domain: null, client_id: null, scopes: 'openid', poll_seconds: 15 }));
  };
  return {
    name: 'metricsengine-dev-config-json',
    configureServer(server) {
      server.middlewares.use('/dashboard/config.json', serveConfig);
    },
    configurePreviewServer(server) {
      server.middlewares.use('/dashboard/config.json', serveConfig);
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', STRICT_CSP);
        next();
      });
    },
  };
}

/**
 * What the page needs and nothing more (the Cognito domain joins connect-src in a deployment). The
 * one hash is react-draggable's constant <style> that stops text selection while a tile is dragged.
 */
export const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-s8oZn728h+t0WNV6s+2xieaG3i2RB5cO2MMiUDIdinY='; " +
  "img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export default defineConfig({
  base: '/dashboard/',
  plugins: [react(), devConfigJson()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Hashed names (Vite's default pattern, spelled out because the host caches /dashboard/assets/* for a year).
    rollupOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
    // A strict CSP forbids inline script; never inline assets as data: URLs into scripts either.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 900,
  },
  preview: {
    proxy: {
      '/metrics': { target: apiTarget, changeOrigin: true },
      '/health': { target: apiTarget, changeOrigin: true },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/metrics': { target: apiTarget, changeOrigin: true },
      '/health': { target: apiTarget, changeOrigin: true },
    },
  },
  test: {
    environment: 'node', // DOM tests opt in with @vitest-environment jsdom
    include: ['test/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
