/**
 * jira-auth core: sign in to Jira (OAuth 1.0a RSA-SHA1 application links, personal access tokens,
 * basic auth, OAuth 2.0 bearer tokens) and sign every REST request. Plain Node (>= 16), no vscode.
 * Bundled as dist/core.js; see docs/api.md.
 */

export { CORE_VERSION, DEFAULT_USER_AGENT } from './version';

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

// Jira client
export { createJiraClient, fetchServerInfo } from './jira';
export type { CreateJiraClientOptions, JiraAuth, JiraClient, JiraRequestOptions, JiraResponse, ServerInfo } from './jira';
export type { ConnectionOptions } from './requester';
export { buildRequestTarget, normalizeBaseUrl } from './url';
export type { QueryOption, RequestTarget } from './url';

// HTTP layer
export { DEFAULT_TIMEOUT_MS, httpRequest } from './http';
export type { HttpRequest, HttpResponse, TlsOptions, Transport } from './http';

// Errors and redaction
export { JiraError, oauthProblemMessage, parseOAuthProblem } from './errors';
export type { ErrorContext, JiraErrorCode, JiraErrorDetails, ParsedOAuthProblem } from './errors';
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
