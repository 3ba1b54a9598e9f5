import type { SecretStorageLike } from './types';

/** SecretStorage key prefix of the OAuth 2.0 clients, one per site: `jira.oauth2.client.<site>`. */
export const OAUTH2_CLIENT_PREFIX = 'jira.oauth2.client.';

/** An OAuth 2.0 client (Data Center incoming application link, or a Cloud 3LO app): entered once per site. */
export interface OAuth2Client {
  clientId: string;
  clientSecret?: string;
  savedAt: number;
}

function keyOf(baseUrl: string): string {
  return OAUTH2_CLIENT_PREFIX + baseUrl.trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * The OAuth 2.0 client id and secret per site, only in SecretStorage (the secret is a credential
 * of the application link), so that the next sign-in to the site can reuse them.
 */
export class OAuth2ClientStore {
  constructor(private readonly secrets: SecretStorageLike) {}

  async get(baseUrl: string): Promise<OAuth2Client | undefined> {
    const raw = await this.secrets.get(keyOf(baseUrl));
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as OAuth2Client;
      return v && typeof v.clientId === 'string' && v.clientId ? v : undefined;
    } catch {
      return undefined;
    }
  }

  async set(baseUrl: string, client: { clientId: string; clientSecret?: string }): Promise<void> {
    const v: OAuth2Client = { clientId: client.clientId, ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}), savedAt: Date.now() };
    await this.secrets.store(keyOf(baseUrl), JSON.stringify(v));
  }

  async delete(baseUrl: string): Promise<void> {
    await this.secrets.delete(keyOf(baseUrl));
  }
}
