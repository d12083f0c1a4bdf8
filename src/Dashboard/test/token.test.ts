// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_EXPIRED_MESSAGE, LOCAL_REFUSED_MESSAGE, LocalSession } from '../src/auth/session';
import { DEV_TOKEN_HINT, EXPIRY_MARGIN_MS, TokenStore, decodeJwtPayload, isExpired, takeTokenFromFragment, tokenInfo } from '../src/auth/token';
import { accessToken, b64url, makeToken } from './jwt';

describe('decodeJwtPayload and tokenInfo', () => {
  it('reads the claims of a Cognito access token, UTF-8 included', () => {
    const token = makeToken({ username: 'zoë', scope: 'api/metrics.read', 'cognito:groups': ['metrics-writers'], exp: 2_000_000_000 });
    expect(decodeJwtPayload(token)).toMatchObject({ username: 'zoë' });
    expect(tokenInfo(token)).toEqual({
      expiresAt: 2_000_000_000_000,
      scopes: ['api/metrics.read'],
      groups: ['metrics-writers'],
      username: 'zoë',
      canRead: true,
      canWrite: true,
    });
  });

  it('returns null for what is not a JWT', () => {
    expect(decodeJwtPayload('not-a-token')).toBeNull();
    expect(decodeJwtPayload('a.b')).toBeNull();
    expect(decodeJwtPayload(`x.${b64url('[1,2]')}.y`)).toBeNull();
    expect(decodeJwtPayload('x.%%%.y')).toBeNull();
    expect(tokenInfo('x.y.z')).toBeNull();
  });

  it.each([
    ['api/backend_access', [], true, true],
    ['api/metrics.read', [], true, false],
    ['api/metrics.write', [], true, true],
    ['api/metrics.admin', [], true, true],
    ['api/backend_access_x api/metrics.readonly', [], false, false],
    ['', ['metrics-readers'], true, false],
    ['', ['metrics-writers'], true, true],
    ['', ['metrics-admins'], true, true],
    ['', ['other'], false, false],
  ])('maps scope "%s" and groups %j to read %s, write %s (the API defaults)', (scope, groups, canRead, canWrite) => {
    const info = tokenInfo(makeToken({ scope, 'cognito:groups': groups, exp: 2_000_000_000 }));
    expect(info?.canRead).toBe(canRead);
    expect(info?.canWrite).toBe(canWrite);
  });

  it('treats a token as expired a little before its exp, so no request leaves with it', () => {
    const now = 1_700_000_000_000;
    const info = tokenInfo(makeToken({ exp: now / 1000 + 60 }));
    expect(isExpired(info, now)).toBe(false);
    expect(isExpired(info, now + 60_000 - EXPIRY_MARGIN_MS + 1)).toBe(true);
    expect(isExpired(null, now)).toBe(true);
  });
});

describe('takeTokenFromFragment', () => {
  it('takes access_token and removes the fragment, keeping path and query', () => {
    const history = { state: { s: 1 }, replaceState: vi.fn() };
    const token = takeTokenFromFragment({ hash: '#access_token=abc.def.ghi&token_type=Bearer', pathname: '/dashboard/', search: '?day_range=7' }, history);
    expect(token).toBe('abc.def.ghi');
    expect(history.replaceState).toHaveBeenCalledWith({ s: 1 }, '', '/dashboard/?day_range=7');
  });

  it('leaves the address alone without an access_token', () => {
    const history = { state: null, replaceState: vi.fn() };
    expect(takeTokenFromFragment({ hash: '', pathname: '/dashboard/', search: '' }, history)).toBeNull();
    expect(takeTokenFromFragment({ hash: '#section', pathname: '/dashboard/', search: '' }, history)).toBeNull();
    expect(history.replaceState).not.toHaveBeenCalled();
  });
});

describe('TokenStore', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it('keeps the token in memory and sessionStorage, never in localStorage', () => {
    const store = new TokenStore(sessionStorage);
    store.set('t1');
    expect(new TokenStore(sessionStorage).get()).toBe('t1');
    expect(JSON.stringify({ ...localStorage })).not.toContain('t1');
    store.set(null);
    expect(new TokenStore(sessionStorage).get()).toBeNull();
  });

  it('still works in memory when storage throws', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => undefined } as unknown as Storage;
    const store = new TokenStore(broken);
    store.set('t2');
    expect(store.get()).toBe('t2');
  });
});

describe('LocalSession (development sign-in through the URL fragment)', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
    document.body.innerHTML = '<div id="root"></div>';
  });
  afterEach(() => {
    vi.useRealTimers();
    window.history.replaceState(null, '', '/');
  });

  it('takes the token from the fragment, removes it from the address bar and keeps it out of the DOM and localStorage', async () => {
    const token = accessToken();
    window.history.replaceState(null, '', `/dashboard/?day_range=7#access_token=${token}`);
    const session = new LocalSession({ location: window.location, history: window.history, storage: sessionStorage });
    const state = await session.init();
    expect(state.status).toBe('signed-in');
    expect(state.info?.canWrite).toBe(true);
    expect(session.token()).toBe(token);
    expect(window.location.href).toBe('http://localhost:3000/dashboard/?day_range=7');
    expect(window.location.hash).toBe('');
    expect(document.documentElement.outerHTML).not.toContain(token);
    expect(Object.values({ ...localStorage }).join()).not.toContain(token);
    expect(Object.values({ ...sessionStorage }).join()).toContain(token);
  });

  it('keeps the session across a reload of the tab (sessionStorage)', async () => {
    const token = accessToken();
    window.history.replaceState(null, '', `/dashboard/#access_token=${token}`);
    await new LocalSession({ location: window.location, history: window.history, storage: sessionStorage }).init();
    const again = new LocalSession({ location: window.location, history: window.history, storage: sessionStorage });
    expect((await again.init()).status).toBe('signed-in');
    expect(again.token()).toBe(token);
  });

  it('says how to get a new link when the token has expired', async () => {
    window.history.replaceState(null, '', `/dashboard/#access_token=${accessToken({ exp: Math.floor(Date.now() / 1000) - 10 })}`);
    const session = new LocalSession({ location: window.location, history: window.history, storage: sessionStorage });
    const state = await session.init();
    expect(state.status).toBe('expired');
    expect(state.message).toBe(LOCAL_EXPIRED_MESSAGE);
    expect(state.message).toContain(DEV_TOKEN_HINT);
    expect(DEV_TOKEN_HINT).toBe('Run ./run.sh token --dashboard for a new link');
    expect(session.token()).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it('turns to expired by itself when the token runs out while the page is open', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const token = accessToken({ exp: Math.floor(Date.now() / 1000) + 120 });
    window.history.replaceState(null, '', `/dashboard/#access_token=${token}`);
    const session = new LocalSession({ location: window.location, history: window.history, storage: sessionStorage });
    const seen: string[] = [];
    session.subscribe((s) => seen.push(s.status));
    await session.init();
    expect(session.token()).toBe(token);
    vi.advanceTimersByTime(120_000);
    expect(seen.at(-1)).toBe('expired');
    expect(session.token()).toBeNull();
  });

  it('refuses a fragment that is not a token, and asks for a link when there is none', async () => {
    window.history.replaceState(null, '', '/dashboard/#access_token=garbage');
    const bad = await new LocalSession({ location: window.location, history: window.history, storage: sessionStorage }).init();
    expect(bad.status).toBe('error');
    expect(bad.message).toContain(DEV_TOKEN_HINT);
    const none = await new LocalSession({ location: window.location, history: window.history, storage: sessionStorage }).init();
    expect(none.status).toBe('signed-out');
  });

  it('cannot renew a local token: a refused token leads to the expired message', async () => {
    window.history.replaceState(null, '', `/dashboard/#access_token=${accessToken()}`);
    const session = new LocalSession({ location: window.location, history: window.history, storage: sessionStorage });
    await session.init();
    expect(await session.renew()).toBe(false);
    expect(session.state()).toMatchObject({ status: 'expired', message: LOCAL_REFUSED_MESSAGE });
    expect(session.token()).toBeNull();
  });
});
