/** `/dashboard/config.json`, served by the Web host: how this deployment signs users in. */
export interface DashboardConfig {
  auth_mode: 'local' | 'cognito';
  cognito_domain: string | null;
  client_id: string | null;
  scopes: string;
  /** How often tiles are revalidated when there is no live stream (the host's Dashboard__PollSeconds). */
  poll_seconds: number;
}

export const DEFAULT_POLL_SECONDS = 15;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(value: unknown): DashboardConfig {
  if (!value || typeof value !== 'object') throw new ConfigError('config.json is not a JSON object.');
  const v = value as Record<string, unknown>;
  if (v.auth_mode !== 'local' && v.auth_mode !== 'cognito') throw new ConfigError('config.json: auth_mode must be "local" or "cognito".');
  const str = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x.trim() : null);
  const config: DashboardConfig = {
    auth_mode: v.auth_mode,
    cognito_domain: str(v.cognito_domain),
    client_id: str(v.client_id),
    scopes: typeof v.scopes === 'string' ? v.scopes : '',
    poll_seconds: DEFAULT_POLL_SECONDS,
  };
  if (v.poll_seconds !== undefined && v.poll_seconds !== null) {
    if (typeof v.poll_seconds !== 'number' || !Number.isInteger(v.poll_seconds) || v.poll_seconds < 1 || v.poll_seconds > 3600) {
      throw new ConfigError('config.json: poll_seconds must be a whole number from 1 to 3600.');
    }
    config.poll_seconds = v.poll_seconds;
  }
  if (config.auth_mode === 'cognito' && (!config.cognito_domain || !config.client_id)) {
    throw new ConfigError('config.json: auth_mode "cognito" needs cognito_domain and client_id.');
  }
  return config;
}

/** Fetched relative to the page's base (/dashboard/config.json), never cached: it changes with the deployment. */
export async function loadConfig(fetchImpl: typeof fetch = fetch, base: string = import.meta.env.BASE_URL): Promise<DashboardConfig> {
  const response = await fetchImpl(`${base}config.json`, { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) {
    // The host explains itself in a problem document (a deployment without its Cognito settings, say).
    let detail = '';
    try {
      const problem: unknown = await response.json();
      if (problem && typeof problem === 'object' && typeof (problem as Record<string, unknown>).detail === 'string') {
        detail = ` ${(problem as Record<string, string>).detail}`;
      }
    } catch {
      // not a problem document: the status says enough
    }
    throw new ConfigError(`config.json could not be loaded (HTTP ${response.status}).${detail}`);
  }
  return parseConfig(await response.json());
}

/** "https://my-app.auth.eu-west-1.amazoncognito.com" from a bare host name or a URL. */
export function cognitoOrigin(domain: string): string {
  const withScheme = /^https?:\/\//i.test(domain) ? domain : `https://${domain}`;
  return new URL(withScheme).origin;
}
