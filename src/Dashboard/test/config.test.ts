import { describe, expect, it, vi } from 'vitest';
import { ApiError, errorFromResponse, parseRetryAfter, toProblem } from '../src/api/problem';
import { ConfigError, cognitoOrigin, loadConfig, parseConfig } from '../src/config';

describe('config.json', () => {
  it('is fetched relative to the page base, uncached', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ auth_mode: 'local', cognito_domain: null, client_id: null, scopes: '' })));
    const config = await loadConfig(fetchImpl as unknown as typeof fetch, '/dashboard/');
    expect(config.auth_mode).toBe('local');
    expect(fetchImpl).toHaveBeenCalledWith('/dashboard/config.json', { cache: 'no-store', credentials: 'omit' });
  });

  it('reads the Cognito settings and refuses an incomplete or unknown mode', () => {
    expect(parseConfig({ auth_mode: 'cognito', cognito_domain: ' x.auth.eu-west-1.amazoncognito.com ', client_id: 'c', scopes: 'openid' })).toEqual({
      auth_mode: 'cognito',
      cognito_domain: 'x.auth.eu-west-1.amazoncognito.com',
      client_id: 'c',
      scopes: 'openid',
      poll_seconds: 15,
    });
    expect(() => parseConfig({ auth_mode: 'cognito', cognito_domain: null, client_id: 'c', scopes: '' })).toThrow(ConfigError);
    expect(() => parseConfig({ auth_mode: 'saml' })).toThrow(ConfigError);
    expect(() => parseConfig('local')).toThrow(ConfigError);
  });

  it('takes the poll interval from the host, 15 s when it says nothing, and refuses nonsense', () => {
    expect(parseConfig({ auth_mode: 'local', poll_seconds: 2 }).poll_seconds).toBe(2);
    expect(parseConfig({ auth_mode: 'local' }).poll_seconds).toBe(15);
    expect(() => parseConfig({ auth_mode: 'local', poll_seconds: 0 })).toThrow('poll_seconds must be a whole number from 1 to 3600');
    expect(() => parseConfig({ auth_mode: 'local', poll_seconds: '5' })).toThrow(ConfigError);
    expect(() => parseConfig({ auth_mode: 'local', poll_seconds: 1.5 })).toThrow(ConfigError);
  });

  it("says what the host's problem document says", async () => {
    const body = JSON.stringify({ title: 'Dashboard sign-in not configured', status: 503, detail: 'Set Dashboard__CognitoDomain and Dashboard__ClientId.' });
    const fetchImpl = vi.fn(async () => new Response(body, { status: 503, headers: { 'Content-Type': 'application/problem+json' } }));
    await expect(loadConfig(fetchImpl as unknown as typeof fetch, '/dashboard/')).rejects.toThrow(
      'config.json could not be loaded (HTTP 503). Set Dashboard__CognitoDomain and Dashboard__ClientId.',
    );
  });

  it('fails clearly when the host does not serve it', async () => {
    const fetchImpl = vi.fn(async () => new Response('', { status: 404 }));
    await expect(loadConfig(fetchImpl as unknown as typeof fetch, '/dashboard/')).rejects.toThrow('config.json could not be loaded (HTTP 404).');
  });

  it('takes the Cognito domain with or without a scheme', () => {
    expect(cognitoOrigin('a.auth.eu-west-1.amazoncognito.com')).toBe('https://a.auth.eu-west-1.amazoncognito.com');
    expect(cognitoOrigin('https://login.example.com/')).toBe('https://login.example.com');
  });
});

describe('problem details', () => {
  it('keeps only the known members, as strings and numbers', () => {
    expect(toProblem({ title: 'Bad', detail: 5, status: 400, extra: '<b>' })).toEqual({ title: 'Bad', status: 400 });
    expect(toProblem(null, 503).title).toBe('Service unavailable');
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('12')).toBe(12_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('builds an ApiError from a problem+json response', async () => {
    const response = new Response(JSON.stringify({ title: 'Too many requests', status: 429, detail: 'Slow down.' }), {
      status: 429,
      headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '3' },
    });
    const error = await errorFromResponse(response);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, problem: { detail: 'Slow down.' } });
  });
});
