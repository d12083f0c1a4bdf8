import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ApiClient } from './api/client';
import { LocalSession, type AuthSession, type AuthState } from './auth/session';
import { loadConfig, type DashboardConfig } from './config';
import { DashboardController } from './dashboard/controller';
import { DashboardGrid } from './grid/DashboardGrid';
import type { LayoutChange } from './grid/layouts';
import { LiveStream, type StreamStatus } from './live/stream';
import { ProblemText } from './tiles/Tile';
import { WindowForm } from './window/WindowForm';
import { parseWindow, windowToSearch, type DashboardWindow } from './window/params';

export async function createSession(config: DashboardConfig): Promise<AuthSession> {
  if (config.auth_mode === 'cognito') {
    // oidc-client-ts is only needed (and only downloaded) where Cognito signs users in.
    const { CognitoSession } = await import('./auth/cognito');
    return new CognitoSession(config, {
      location: window.location,
      history: window.history,
      storage: window.sessionStorage,
      redirectUri: `${window.location.origin}${import.meta.env.BASE_URL}`,
    });
  }
  return new LocalSession({ location: window.location, history: window.history, storage: window.sessionStorage });
}

export function liveStatusText(status: StreamStatus, polling: boolean, seconds: number): string {
  switch (status.kind) {
    case 'open':
      return 'Live';
    case 'connecting':
      return 'Connecting to live updates…';
    case 'unavailable':
      return `No live stream here: tiles are checked every ${seconds} s`;
    case 'backoff':
      return polling ? `Live updates interrupted: checking every ${seconds} s while reconnecting` : 'Reconnecting to live updates…';
    case 'signed-out':
      return 'Live updates stopped: sign in again';
    case 'idle':
      return '';
  }
}

type Booted = { config: DashboardConfig; session: AuthSession };
type Boot = { phase: 'loading' } | { phase: 'failed'; message: string } | ({ phase: 'ready' } & Booted);

let booting: Promise<Booted> | null = null;

/** Config and sign-in run once per page load (React's StrictMode runs effects twice; an OAuth code can be used once). */
function bootOnce(): Promise<Booted> {
  booting ??= (async () => {
    const config = await loadConfig();
    const session = await createSession(config);
    await session.init();
    return { config, session };
  })();
  return booting;
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });

  useEffect(() => {
    let cancelled = false;
    bootOnce().then(
      (booted) => {
        if (!cancelled) setBoot({ phase: 'ready', ...booted });
      },
      (error: unknown) => {
        if (!cancelled) setBoot({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  if (boot.phase === 'loading') return <Shell>{<p className="page-message">Loading…</p>}</Shell>;
  if (boot.phase === 'failed')
    return (
      <Shell>
        <p className="page-message" role="alert">
          The dashboard could not start: {boot.message}
        </p>
      </Shell>
    );
  return <SignedInGate session={boot.session} pollSeconds={boot.config.poll_seconds} />;
}

function Shell({ children, header }: { children: React.ReactNode; header?: React.ReactNode }) {
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">MetricsEngine</h1>
        {header}
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}

function useAuthState(session: AuthSession): AuthState {
  return useSyncExternalStore(
    useCallback((listener) => session.subscribe(() => listener()), [session]),
    () => session.state(),
  );
}

function SignedInGate({ session, pollSeconds }: { session: AuthSession; pollSeconds: number }) {
  const auth = useAuthState(session);
  const account = (
    <div className="account">
      {auth.status === 'signed-in' && auth.info?.username && <span className="user">{auth.info.username}</span>}
      {auth.status === 'signed-in' ? (
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      ) : session.mode === 'cognito' ? (
        <button type="button" onClick={() => void session.signIn()}>
          Sign in
        </button>
      ) : null}
    </div>
  );
  if (auth.status !== 'signed-in' || !auth.info) {
    return (
      <Shell header={account}>
        <div className={`page-message auth-${auth.status}`} role="alert">
          <p>{auth.message}</p>
        </div>
      </Shell>
    );
  }
  return <Dashboard session={session} canWrite={auth.info.canWrite} account={account} pollSeconds={pollSeconds} />;
}

function Dashboard({ session, canWrite, account, pollSeconds }: { session: AuthSession; canWrite: boolean; account: React.ReactNode; pollSeconds: number }) {
  const [controller, setController] = useState<DashboardController | null>(null);

  useEffect(() => {
    const api = new ApiClient({ getToken: () => session.token(), onUnauthorized: () => void session.renew() });
    const created = new DashboardController(
      {
        api,
        stream: (handlers) => new LiveStream({ headers: () => api.authHeaders(), handlers }),
        reauthenticate: () => session.renew(),
        canWrite: () => canWrite,
        pollIntervalMs: pollSeconds * 1000,
      },
      parseWindow(window.location.search).window,
    );
    setController(created);
    void created.start();
    const onVisibility = () => created.setHidden(document.visibilityState === 'hidden');
    const onPopState = () => created.setWindow(parseWindow(window.location.search).window);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('popstate', onPopState);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('popstate', onPopState);
      created.stop();
    };
  }, [session, canWrite, pollSeconds]);

  if (!controller) return <Shell header={account}>{<p className="page-message">Loading metrics…</p>}</Shell>;
  return <DashboardView controller={controller} canWrite={canWrite} account={account} pollSeconds={pollSeconds} />;
}

function DashboardView({
  controller,
  canWrite,
  account,
  pollSeconds,
}: {
  controller: DashboardController;
  canWrite: boolean;
  account: React.ReactNode;
  pollSeconds: number;
}) {
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);

  const applyWindow = useCallback(
    (next: DashboardWindow) => {
      const search = windowToSearch(next, window.location.search);
      window.history.pushState(window.history.state, '', `${window.location.pathname}${search}`);
      controller.setWindow(next);
    },
    [controller],
  );
  const save = useCallback((changes: LayoutChange[], breakpoint: string) => void controller.saveLayout(changes, breakpoint), [controller]);
  const dismiss = useCallback((id: string) => controller.dismissNotice(id), [controller]);
  const editable = canWrite && !snapshot.writeRefused;
  const windowErrors = useMemo(() => parseWindow(window.location.search).errors, [snapshot.window]);

  return (
    <Shell
      header={
        <>
          <WindowForm window={snapshot.window} onApply={applyWindow} />
          <span className={`live live-${snapshot.live.kind}`} role="status" aria-live="polite">
            {liveStatusText(snapshot.live, snapshot.polling, pollSeconds)}
          </span>
          {account}
        </>
      }
    >
      {windowErrors.length > 0 && (
        <div className="page-warning" role="alert">
          {windowErrors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
      {!editable && <p className="page-note">Read-only: this sign-in cannot move tiles.</p>}
      {snapshot.phase === 'loading' && <p className="page-message">Loading metrics…</p>}
      {snapshot.phase === 'error' && snapshot.listProblem && (
        <div className="page-message">
          <ProblemText problem={snapshot.listProblem} />
        </div>
      )}
      {snapshot.phase === 'ready' && snapshot.tiles.length === 0 && <p className="page-message">There are no metrics yet.</p>}
      {snapshot.phase === 'ready' && snapshot.tiles.length > 0 && (
        <DashboardGrid tiles={snapshot.tiles} editable={editable} layoutRevision={snapshot.layoutRevision} onSave={save} onDismissNotice={dismiss} />
      )}
    </Shell>
  );
}
