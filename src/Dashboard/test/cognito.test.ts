// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OidcClient } from 'oidc-client-ts';
import { COGNITO_EXPIRED_MESSAGE, CognitoSession, cognitoSettings } from '../src/auth/cognito';
import type { DashboardConfig } from '../src/config';
import { accessToken, makeToken } from './jwt';

const config: DashboardConfig = {
  auth_mode: 'cognito',
  cognito_domain: 'metrics.auth.eu-west-1.amazoncognito.com',
  client_id: 'dash-client',
  scopes: 'openid api/metrics.read',
  poll_seconds: 15,
};
const redirect = 'http://localhost:3000/dashboard/';

function binaryToBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function storedVerifier(): string {
  const entry = Object.keys(sessionStorage).find((k) => k.startsWith('metricsengine.oidc.') && sessionStorage.getItem(k)!.includes('code_verifier'));
  expect(entry).toBeDefined();
  return JSON.parse(sessionStorage.getItem(entry!)!).code_verifier as string;
}

describe('Cognito sign-in: authorization code flow with PKCE', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it('asks the hosted UI for a code with an S256 challenge of a verifier kept in sessionStorage only', async () => {
    const client = new OidcClient(cognitoSettings(config, redirect, sessionStorage));
    const request = await client.createSigninRequest({ url_state: '?day_range=7' });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://metrics.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('dash-client');
    expect(url.searchParams.get('redirect_uri')).toBe(redirect);
    expect(url.searchParams.get('scope')).toBe('openid api/metrics.read');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');

    const verifier = storedVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/); // RFC 7636 section 4.1
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    expect(url.searchParams.get('code_challenge')).toBe(binaryToBase64url(digest));
    expect(localStorage.length).toBe(0);
  });

  it('uses a new verifier for every sign-in', async () => {
    const client = new OidcClient(cognitoSettings(config, redirect, sessionStorage));
    const a = new URL((await client.createSigninRequest({})).url).searchParams.get('code_challenge');
    const b = new URL((await client.createSigninRequest({})).url).searchParams.get('code_challenge');
    expect(a).not.toBe(b);
  });

  it('exchanges the code with the verifier at the token endpoint and signs in, restoring the window', async () => {
    const client = new OidcClient(cognitoSettings(config, redirect, sessionStorage));
    const request = await client.createSigninRequest({ url_state: '?day_range=7' });
    const state = new URL(request.url).searchParams.get('state')!;
    const verifier = storedVerifier();
    const token = accessToken({ scope: 'api/metrics.read', client_id: 'dash-client' });
    const fetchMock = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
      new Response(
        JSON.stringify({
          access_token: token,
          id_token: makeToken({ sub: 'u-1', aud: 'dash-client', exp: Math.floor(Date.now() / 1000) + 3600 }),
          refresh_token: 'refresh-1',
          token_type: 'Bearer',
          expires_in: 3600,
        }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    vi.stubGlobal('fetch', fetchMock);

    const location = {
      href: `${redirect}?code=the-code&state=${encodeURIComponent(state)}`,
      search: `?code=the-code&state=${encodeURIComponent(state)}`,
      pathname: '/dashboard/',
      assign: vi.fn(),
    } as unknown as Location;
    const history = { state: null, replaceState: vi.fn() } as unknown as History;
    const session = new CognitoSession(config, { location, history, storage: sessionStorage, redirectUri: redirect });
    const result = await session.init();

    expect(result.status).toBe('signed-in');
    expect(session.token()).toBe(token);
    expect(result.info?.canWrite).toBe(false);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(String(url)).toBe('https://metrics.auth.eu-west-1.amazoncognito.com/oauth2/token');
    const body = new URLSearchParams(String(init?.body));
    expect(body.get('grant_type')).toBe('authorization_code');
    expect(body.get('code')).toBe('the-code');
    expect(body.get('code_verifier')).toBe(verifier);
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/dashboard/?day_range=7');
    expect(localStorage.length).toBe(0);
  });

  it('asks again when the session has expired and cannot be refreshed', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"error":"invalid_grant"}', { status: 400, headers: { 'Content-Type': 'application/json' } })));
    const settings = cognitoSettings(config, redirect, sessionStorage);
    // A stored user whose access token expired an hour ago.
    const key = `metricsengine.oidc.user:${settings.authority}:${settings.client_id}`;
    sessionStorage.setItem(
      key,
      JSON.stringify({ access_token: accessToken({ exp: Math.floor(Date.now() / 1000) - 3600 }), refresh_token: 'r', token_type: 'Bearer', profile: { sub: 'u-1' }, expires_at: Math.floor(Date.now() / 1000) - 3600 }),
    );
    const location = { href: redirect, search: '', pathname: '/dashboard/', assign: vi.fn() } as unknown as Location;
    const session = new CognitoSession(config, { location, history: { state: null, replaceState: vi.fn() } as unknown as History, storage: sessionStorage, redirectUri: redirect });
    const state = await session.init();
    expect(state.status).toBe('expired');
    expect(state.message).toBe(COGNITO_EXPIRED_MESSAGE);
    expect(session.token()).toBeNull();
  });

  it('signs out at Cognito with client_id and logout_uri after dropping the tokens', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('', { status: 200 })));
    const location = { href: redirect, search: '', pathname: '/dashboard/', assign: vi.fn() } as unknown as Location;
    const session = new CognitoSession(config, { location, history: { state: null, replaceState: vi.fn() } as unknown as History, storage: sessionStorage, redirectUri: redirect });
    await session.signOut();
    const target = new URL((location.assign as ReturnType<typeof vi.fn>).mock.calls[0]![0] as string);
    expect(`${target.origin}${target.pathname}`).toBe('https://metrics.auth.eu-west-1.amazoncognito.com/logout');
    expect(target.searchParams.get('client_id')).toBe('dash-client');
    expect(target.searchParams.get('logout_uri')).toBe(redirect);
    expect(session.state().status).toBe('signed-out');
  });
});

