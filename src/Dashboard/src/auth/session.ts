import { DEV_TOKEN_HINT, TokenStore, isExpired, takeTokenFromFragment, tokenInfo, type TokenInfo } from './token';

export type AuthStatus = 'signed-in' | 'signed-out' | 'expired' | 'error';

export interface AuthState {
  status: AuthStatus;
  mode: 'local' | 'cognito';
  info: TokenInfo | null;
  /** What to tell the user when not signed in (plain text). */
  message: string | null;
}

/** How the page gets, renews and drops its access token: locally in development, through Cognito in a deployment. */
export interface AuthSession {
  readonly mode: 'local' | 'cognito';
  init(): Promise<AuthState>;
  state(): AuthState;
  /** The access token to send, or null if there is none that is still valid. */
  token(): string | null;
  /** Called when the API or the stream says the token is no longer good; resolves true with a new one. */
  renew(): Promise<boolean>;
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  subscribe(listener: (state: AuthState) => void): () => void;
}

type Timers = Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'>;

export abstract class BaseSession {
  protected current: AuthState;
  private readonly listeners = new Set<(state: AuthState) => void>();

  protected constructor(mode: 'local' | 'cognito') {
    this.current = { status: 'signed-out', mode, info: null, message: null };
  }

  state(): AuthState {
    return this.current;
  }

  subscribe(listener: (state: AuthState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected publish(next: AuthState): void {
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }
}

export const LOCAL_SIGNED_OUT_MESSAGE = `Not signed in. ${DEV_TOKEN_HINT}.`;
export const LOCAL_EXPIRED_MESSAGE = `Your development token has expired. ${DEV_TOKEN_HINT}.`;
export const LOCAL_REFUSED_MESSAGE = `The API no longer accepts this development token. ${DEV_TOKEN_HINT}.`;

/** Development: the token arrives in the URL fragment from ./run.sh; it cannot be renewed, only replaced. */
export class LocalSession extends BaseSession implements AuthSession {
  readonly mode = 'local' as const;
  private readonly store: TokenStore;
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly env: {
      location: Pick<Location, 'hash' | 'pathname' | 'search'>;
      history: Pick<History, 'replaceState' | 'state'>;
      storage: Storage | null;
      now?: () => number;
      timers?: Timers;
    },
  ) {
    super('local');
    this.store = new TokenStore(env.storage);
  }

  private now(): number {
    return this.env.now ? this.env.now() : Date.now();
  }

  async init(): Promise<AuthState> {
    const fromFragment = takeTokenFromFragment(this.env.location, this.env.history);
    if (fromFragment !== null) this.store.set(fromFragment);
    this.evaluate();
    return this.current;
  }

  private evaluate(): void {
    const token = this.store.get();
    if (!token) {
      this.publish({ status: 'signed-out', mode: 'local', info: null, message: LOCAL_SIGNED_OUT_MESSAGE });
      return;
    }
    const info = tokenInfo(token);
    if (!info) {
      this.store.set(null);
      this.publish({ status: 'error', mode: 'local', info: null, message: `That link does not carry a valid token. ${DEV_TOKEN_HINT}.` });
      return;
    }
    if (isExpired(info, this.now())) {
      this.expire();
      return;
    }
    this.publish({ status: 'signed-in', mode: 'local', info, message: null });
    this.scheduleExpiry(info);
  }

  private scheduleExpiry(info: TokenInfo): void {
    const timers = this.env.timers ?? globalThis;
    if (this.expiryTimer !== null) timers.clearTimeout(this.expiryTimer);
    if (info.expiresAt === null) return;
    // setTimeout overflows beyond ~24.8 days; tokens live an hour, but stay safe.
    const delay = Math.min(info.expiresAt - this.now(), 2_000_000_000);
    this.expiryTimer = timers.setTimeout(() => this.evaluate(), Math.max(0, delay));
  }

  private expire(message: string = LOCAL_EXPIRED_MESSAGE): void {
    this.store.set(null);
    this.publish({ status: 'expired', mode: 'local', info: null, message });
  }

  token(): string | null {
    const token = this.store.get();
    if (!token) return null;
    return isExpired(tokenInfo(token), this.now()) ? null : token;
  }

  async renew(): Promise<boolean> {
    // A local token cannot be refreshed: the API refused it (expired, or signed by a key it no
    // longer has after .data/ was reset), so ask for a new link.
    this.expire(LOCAL_REFUSED_MESSAGE);
    return false;
  }

  async signIn(): Promise<void> {
    this.publish({ status: 'signed-out', mode: 'local', info: null, message: LOCAL_SIGNED_OUT_MESSAGE });
  }

  async signOut(): Promise<void> {
    this.store.set(null);
    this.publish({ status: 'signed-out', mode: 'local', info: null, message: `Signed out. ${DEV_TOKEN_HINT}.` });
  }
}
