// Test helper: Cognito-shaped access tokens (unsigned: the page never checks signatures, the API does).
export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function makeToken(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
}

export function accessToken(overrides: Record<string, unknown> = {}, now = Date.now()): string {
  return makeToken({
    sub: 'u-1',
    username: 'alice',
    token_use: 'access',
    client_id: 'metricsengine-local',
    scope: 'api/backend_access api/metrics.admin',
    exp: Math.floor(now / 1000) + 3600,
    iat: Math.floor(now / 1000),
    ...overrides,
  });
}
