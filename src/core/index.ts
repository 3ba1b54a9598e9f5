/**
 * jira-auth core: sign in to Jira (OAuth 1.0a RSA-SHA1 application links, personal access tokens,
 * basic auth, OAuth 2.0 bearer tokens) and sign every REST request. Plain Node (>= 16), no vscode.
 * Bundled as dist/core.js; see docs/api.md.
 */

export { CORE_VERSION, DEFAULT_USER_AGENT } from './version';

// Messages: every error's `text` is an English template and its arguments, for a translator
export { formatMessage, isMessage, msg } from './messages';
export type { Message, MessageArg, TemplateTranslator } from './messages';

// Keys
export {
  ALLOWED_MODULUS_LENGTHS,
  derivePublicKeyPem,
  generateKeyPair,
  keyBits,
  KeyError,
  keyFingerprint,
  loadPrivateKey,
  MIN_MODULUS_LENGTH,
} from './keys';
export type { GenerateKeyPairOptions, KeyErrorCode, KeyPair, LoadPrivateKeyOptions } from './keys';

// OAuth 1.0a dance
export { accessToken, authorizeUrl, parseVerifier, requestToken } from './oauth1/dance';
export type { AccessTokenOptions, AccessTokenResult, OAuthDanceOptions, RequestTokenOptions, RequestTokenResult } from './oauth1/dance';

// OAuth 2.0 (Data Center application links and Jira Cloud 3LO), refresh, JWT inspection
export {
  accessibleResources,
  buildAuthorizeUrl,
  CLOUD_AUTHORIZE_EXTRA,
  CLOUD_ENDPOINTS,
  cloudApiBaseUrl,
  cloudEndpoints,
  createPkce,
  dataCenterEndpoints,
  exchangeCode,
  isCloudEndpoints,
  OAuth2TokenManager,
  oauth2ErrorMessage,
  parseRedirect,
  PERMANENT_OAUTH2_ERRORS,
  pkceChallenge,
  randomState,
  refreshAccessToken,
} from './oauth2';
export type {
  AccessibleResource,
  BuildAuthorizeUrlOptions,
  ExchangeCodeOptions,
  OAuth2Endpoints,
  OAuth2TokenManagerOptions,
  OAuth2Tokens,
  Pkce,
  RefreshAccessTokenOptions,
  TokenStoreLike,
} from './oauth2';
export { SingleFlight } from './singleFlight';
export { decodeJwt, fetchJwks, verifyJwt } from './jwt';
export type { DecodedJwt, VerifyJwtOptions, VerifyJwtResult } from './jwt';

// Jira client
export { createJiraClient, fetchServerInfo } from './jira';
export type { CreateJiraClientOptions, JiraAuth, JiraClient, JiraRequestOptions, JiraResponse, ServerInfo } from './jira';
export type { ConnectionOptions } from './requester';
export { buildRequestTarget, normalizeBaseUrl } from './url';
export type { QueryOption, RequestTarget } from './url';

// HTTP layer
export { DEFAULT_TIMEOUT_MS, httpRequest } from './http';
export { closeIdleConnections } from './net/pool';
export type { HttpRequest, HttpResponse, NetworkOptions, TlsOptions, Transport } from './http';

// Network: proxy resolution, extra CAs, client certificates, retries, per-request defaults
export { bypassesProxy, parseNoProxy, parseProxyUrl, resolveProxy } from './net/proxy';
export type { ProxySettings, ProxyTarget } from './net/proxy';
export { caWithDefaults, checkClientCertificate, defaultCaCertificates, pemCertificates, systemCaCertificates } from './net/tls';
export type { ClientCertificate, ClientCertificateCheck, TrustOptions } from './net/tls';
export { backoffDelay, DEFAULT_RETRIES, isIdempotent, parseRetryAfter, retryDelay } from './net/retry';
export type { RetryInput, RetryOptions } from './net/retry';
export { getNetworkProvider, setNetworkProvider } from './net/defaults';
export type { NetworkDefaults, NetworkProvider } from './net/defaults';
export type { HostRequestFunction, HostStack } from './net/host';

// Errors and redaction
export { JiraError, parseOAuthProblem } from './errors';
export { NO_LONGER_ACCEPTED, OAUTH_PROBLEMS, oauthProblemMessage, oauthProblemRow } from './oauthProblems';
export type { ErrorContext, JiraErrorCode, JiraErrorDetails, ParsedOAuthProblem } from './errors';
export type { OAuthProblemKind, OAuthProblemRow } from './oauthProblems';
export { redact } from './redact';

// Clock skew
export { getClockOffset, resetClockOffsets } from './oauth1/clock';
export type { ClockOffset } from './oauth1/clock';

// RFC 5849 signature primitives (pure functions) and the request signer
export {
  baseStringUri,
  collectParameters,
  formDecode,
  formEncode,
  normalizeParameters,
  parseAuthorizationHeader,
  percentDecode,
  PercentDecodeError,
  percentEncode,
  requestBaseString,
  signatureBaseString,
} from './oauth1/signature';
export type { CollectParametersInput, Param } from './oauth1/signature';
export { OAuth1Signer } from './oauth1/signer';
export type { SignableRequest, SignedRequest, SignOptions } from './oauth1/signer';
