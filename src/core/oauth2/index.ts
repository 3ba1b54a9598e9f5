export { createPkce, pkceChallenge, randomState } from './pkce';
export type { Pkce } from './pkce';
export { buildAuthorizeUrl, CLOUD_AUTHORIZE_EXTRA, CLOUD_ENDPOINTS, cloudApiBaseUrl, cloudEndpoints, dataCenterEndpoints, isCloudEndpoints } from './endpoints';
export type { BuildAuthorizeUrlOptions, OAuth2Endpoints } from './endpoints';
export { accessibleResources, exchangeCode, oauth2ErrorMessage, parseRedirect, refreshAccessToken } from './tokens';
export type { AccessibleResource, ExchangeCodeOptions, OAuth2Tokens, RefreshAccessTokenOptions } from './tokens';
export { OAuth2TokenManager, PERMANENT_OAUTH2_ERRORS } from './manager';
export type { OAuth2TokenManagerOptions, TokenStoreLike } from './manager';
