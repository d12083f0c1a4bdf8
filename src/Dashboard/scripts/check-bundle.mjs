// After `vite build`: what a strict Content-Security-Policy needs from dist/. Fails the build when
// index.html has an inline script or style, or a bundle calls eval or new Function.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const problems = [];
const html = readFileSync(join(dist, 'index.html'), 'utf8');
for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (!/\bsrc=/.test(match[1]) || match[2].trim() !== '') problems.push('index.html has an inline <script>');
}
if (/<style\b/i.test(html) || /\sstyle=/i.test(html)) problems.push('index.html has inline styles');
if (/https?:\/\//i.test(html.replace(/<!--[\s\S]*?-->/g, ''))) problems.push('index.html loads something from another origin');
for (const file of readdirSync(join(dist, 'assets'))) {
  if (!file.endsWith('.js')) continue;
  const code = readFileSync(join(dist, 'assets', file), 'utf8');
  if (/\bnew Function\s*\(/.test(code)) problems.push(`${file} calls new Function`);
  if (/(^|[^.\w$])eval\s*\(/.test(code)) problems.push(`${file} calls eval`);
}
if (problems.length > 0) {
  console.error(`dist/ would break under a strict CSP:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('dist/: no inline script or style, no eval, nothing from another origin.');
