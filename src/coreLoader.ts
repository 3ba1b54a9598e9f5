/**
 * The core (OAuth 1.0a, HTTP, keys) is loaded on first use, not on activation: esbuild turns the
 * dynamic import into a lazily evaluated module inside the bundle, so activating the extension
 * does not evaluate crypto, http or oauth-1.0a code.
 */
export type Core = typeof import('./core');

let core: Promise<Core> | undefined;

export function loadCore(): Promise<Core> {
  core ??= import('./core');
  return core;
}
