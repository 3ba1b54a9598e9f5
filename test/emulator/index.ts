// The Jira Server / Data Center emulator used by the unit, integration and E2E tests and the
// sandbox. See server.ts (HTTP + routing), oauth1.ts (the OAuth 1.0a provider), rfc5849.ts (the
// signature base string and RSA-SHA1 verification), rest.ts, jql.ts, data.ts, pages.ts, applinks.ts.
export { startEmulator } from './server';
export type { Emulator, EmulatorOptions, LinkInput, RequestLogEntry, UserInput } from './types';
