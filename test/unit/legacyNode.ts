// Loaded first by `npm run test:node16` (mocha --require), which runs the unit tests on Node 16,
// the extension host of VS Code 1.74 (the `engines` floor) to 1.81. The extension never uses fetch;
// some tests do (as the browser that follows a redirect or calls a loopback listener), and Node 16
// has no global fetch: undici's, the implementation that Node 18 and later ship, stands in.
import * as undici from 'undici';

if (typeof (globalThis as { fetch?: unknown }).fetch !== 'function') {
  Object.assign(globalThis, { fetch: undici.fetch, Headers: undici.Headers, Request: undici.Request, Response: undici.Response, FormData: undici.FormData });
}
