/** Version of the core library (kept in step with package.json's version). */
export const CORE_VERSION = '0.1.0';

/** Default User-Agent: names the product and its version. */
export const DEFAULT_USER_AGENT = `jira-auth-core/${CORE_VERSION}`;
