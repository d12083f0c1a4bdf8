import { OidcClient, UserManager, WebStorageStateStore, type OidcClientSettings, type User, type UserManagerSettings } from 'oidc-client-ts';
import { cognitoOrigin, type DashboardConfig } from '../config';
import { BaseSession, type AuthSession, type AuthState } from './session';
import { isExpired, tokenInfo } from './token';

export const COGNITO_SIGNED_OUT_MESSAGE = 'Sign in to see the dashboard.';
export const COGNITO_EXPIRED_MESSAGE = 'Your session has expired. Sign in again.';

/**
 * The hosted UI's endpoints, given explicitly: the page may connect only to the API and the Cognito
 * domain (CSP connect-src), and the user pool's discovery document lives on another host.
 */
export function cognitoSettings(config: DashboardConfig, redirectUri: string, storage: Storage): UserManagerSettings {
  const origin = cognitoOrigin(config.cognito_domain ?? '');
  const store = new WebStorageStateStore({ store: storage, prefix: 'metricsengine.oidc.' });
  return {
    authority: origin,
    client_id: config.client_id ?? '',
    redirect_uri: redirectUri,
    post_logout_redirect_uri: redirectUri,
    response_type: 'code', // authorization code flow; oidc-client-ts always adds PKCE (S256)
    scope: config.scopes || 'openid',
    metadata: {
      issuer: origin,
      authorization_endpoint: `${origin}/oauth2/authorize`,
      token_endpoint: `${origin}/oauth2/token`,
      revocation_endpoint: `${origin}/oauth2/revoke`,
      end_session_endpoint: `${origin}/logout`,
    },
    // Tokens and the PKCE verifier stay in this tab's sessionStorage, never localStorage.
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    monitorSession: false,
    automaticSilentRenew: true, // with Cognito's refresh token, through the token endpoint (no iframe)
    revokeTokenTypes: ['refresh_token'],
    fetchRequestCredentials: 'omit',
  };
}

/** For tests and tools: the low-level client that builds the same authorize request the page sends. */
export function cognitoClient(settings: OidcClientSettings): OidcClient {
  return new OidcClient(settings);
}

export class CognitoSession extends BaseSession implements AuthSession {
  readonly mode = 'cognito' as const;
  private readonly manager: UserManager;
  private user: User | null = null;
  private readonly origin: string;

  constructor(
    private readonly config: DashboardConfig,
    private readonly env: {
      location: Location;
      history: History;
      storage: Storage;
      redirectUri: string;
    },
  ) {
    super('cognito');
    this.origin = cognitoOrigin(config.cognito_domain ?? '');
    this.manager = new UserManager(cognitoSettings(config, env.redirectUri, env.storage));
    this.manager.events.addUserLoaded((user) => this.accept(user));
    this.manager.events.addSilentRenewError(() => this.expired());
    this.manager.events.addAccessTokenExpired(() => {
      void this.renew();
    });
    this.manager.events.addUserUnloaded(() => this.signedOut(COGNITO_SIGNED_OUT_MESSAGE));
  }

  async init(): Promise<AuthState> {
    const params = new URLSearchParams(this.env.location.search);
    if (params.has('code') && params.has('state')) {
      try {
        const user = await this.manager.signinRedirectCallback(this.env.location.href);
        // Back to the address the user signed in from (its window), without code and state.
        this.env.history.replaceState(this.env.history.state, '', `${this.env.location.pathname}${user.url_state ?? ''}`);
        this.accept(user);
        return this.current;
      } catch (error) {
        this.env.history.replaceState(this.env.history.state, '', this.env.location.pathname);
        this.publish({ status: 'error', mode: 'cognito', info: null, message: `Sign-in failed: ${error instanceof Error ? error.message : String(error)}` });
        return this.current;
      }
    }
    if (params.has('error')) {
      const reason = params.get('error_description') ?? params.get('error') ?? 'unknown error';
      this.env.history.replaceState(this.env.history.state, '', this.env.location.pathname);
      this.publish({ status: 'error', mode: 'cognito', info: null, message: `Sign-in failed: ${reason}` });
      return this.current;
    }
    const user = await this.manager.getUser();
    if (user && !user.expired) this.accept(user);
    else if (user) await this.renew();
    else this.signedOut(COGNITO_SIGNED_OUT_MESSAGE);
    return this.current;
  }

  private accept(user: User): void {
    this.user = user;
    const info = tokenInfo(user.access_token);
    if (!info || isExpired(info)) {
      this.expired();
      return;
    }
    this.publish({ status: 'signed-in', mode: 'cognito', info, message: null });
  }

  private expired(): void {
    this.user = null;
    this.publish({ status: 'expired', mode: 'cognito', info: null, message: COGNITO_EXPIRED_MESSAGE });
  }

  private signedOut(message: string): void {
    this.user = null;
    this.publish({ status: 'signed-out', mode: 'cognito', info: null, message });
  }

  token(): string | null {
    if (!this.user) return null;
    return isExpired(tokenInfo(this.user.access_token)) ? null : this.user.access_token;
  }

  async renew(): Promise<boolean> {
    try {
      const user = await this.manager.signinSilent();
      if (user) {
        this.accept(user);
        return this.current.status === 'signed-in';
      }
    } catch {
      // No refresh token, or Cognito refused it: ask the user again.
    }
    await this.manager.removeUser().catch(() => undefined);
    this.expired();
    return false;
  }

  async signIn(): Promise<void> {
    await this.manager.signinRedirect({ url_state: this.env.location.search || undefined });
  }

  async signOut(): Promise<void> {
    await this.manager.revokeTokens(['refresh_token']).catch(() => undefined);
    await this.manager.removeUser();
    // Cognito's /logout takes client_id and logout_uri (a sign-out URL registered on the app client).
    const url = new URL(`${this.origin}/logout`);
    url.searchParams.set('client_id', this.config.client_id ?? '');
    url.searchParams.set('logout_uri', this.env.redirectUri);
    this.env.location.assign(url.toString());
  }
}
