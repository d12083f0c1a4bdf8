// Reading an access token on the client, for the UI only: the API validates every token itself.

/** The one message for an expired or missing development token (./run.sh prints a fresh link). */
export const DEV_TOKEN_HINT = 'Run ./run.sh token --dashboard for a new link';

/** A token this close to its expiry is treated as expired, so a request does not leave with it and fail. */
export const EXPIRY_MARGIN_MS = 5_000;

export interface TokenInfo {
  expiresAt: number | null; // ms since the epoch
  scopes: string[];
  groups: string[];
  username: string | null;
  canRead: boolean;
  canWrite: boolean;
}

/** The API's default permission mapping (README, "Authentication and permissions"). */
const READ_SCOPES = ['api/backend_access', 'api/metrics.read'];
const WRITE_SCOPES = ['api/backend_access', 'api/metrics.write'];
const ADMIN_SCOPES = ['api/metrics.admin'];
const READ_GROUPS = ['metrics-readers'];
const WRITE_GROUPS = ['metrics-writers'];
const ADMIN_GROUPS = ['metrics-admins'];

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The payload of a JWT, or null when the text is not one. The signature is not (and cannot be) checked here. */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function tokenInfo(token: string): TokenInfo | null {
  const payload = decodeJwtPayload(token);
  if (!payload) return null;
  const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  // Cognito's scope claim is one space-separated string, compared by whole names.
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  const rawGroups = payload['cognito:groups'];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : [];
  const username = typeof payload.username === 'string' ? payload.username : typeof payload.sub === 'string' ? payload.sub : null;
  const has = (names: string[], held: string[]) => names.some((n) => held.includes(n));
  const admin = has(ADMIN_SCOPES, scopes) || has(ADMIN_GROUPS, groups);
  const canWrite = admin || has(WRITE_SCOPES, scopes) || has(WRITE_GROUPS, groups);
  const canRead = canWrite || has(READ_SCOPES, scopes) || has(READ_GROUPS, groups);
  return { expiresAt: exp, scopes, groups, username, canRead, canWrite };
}

export function isExpired(info: TokenInfo | null, now: number = Date.now()): boolean {
  if (!info) return true;
  return info.expiresAt !== null && info.expiresAt - EXPIRY_MARGIN_MS <= now;
}

/**
 * Takes `access_token` from the URL fragment (`/dashboard#access_token=...`, how ./run.sh hands
 * a local token to the page) and removes the whole fragment from the address bar and history entry.
 */
export function takeTokenFromFragment(location: Pick<Location, 'hash' | 'pathname' | 'search'>, history: Pick<History, 'replaceState' | 'state'>): string | null {
  if (!location.hash || location.hash.length < 2) return null;
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('access_token');
  if (token === null) return null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return token.trim() || null;
}

const STORAGE_KEY = 'metricsengine.dashboard.access_token';

/** Memory first, sessionStorage so a reload of the tab keeps the session; never localStorage, never the DOM. */
export class TokenStore {
  private token: string | null = null;
  private readonly storage: Storage | null;

  constructor(storage: Storage | null) {
    this.storage = storage;
    try {
      this.token = storage?.getItem(STORAGE_KEY) ?? null;
    } catch {
      this.token = null;
    }
  }

  get(): string | null {
    return this.token;
  }

  set(token: string | null): void {
    this.token = token;
    try {
      if (token === null) this.storage?.removeItem(STORAGE_KEY);
      else this.storage?.setItem(STORAGE_KEY, token);
    } catch {
      // Storage can be full or disabled; memory still holds the token for this page.
    }
  }
}
