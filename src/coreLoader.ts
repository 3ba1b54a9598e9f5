/**
 * The core (OAuth 1.0a, HTTP, keys) is loaded on first use, not on activation: esbuild.js turns the
 * dynamic import into require('./core.js'), the public dist/core.js shipped beside the bundle, so
 * activating the extension does not read or evaluate crypto, http or oauth-1.0a code.
 */
export type Core = typeof import('./core');

let core: Promise<Core> | undefined;
const onLoad: Array<(core: Core) => void> = [];

export function loadCore(): Promise<Core> {
  core ??= import('./core').then((c) => {
    for (const fn of onLoad) fn(c);
    return c;
  });
  return core;
}

/** Run `fn` when the core is loaded (at once if it is): e.g. install the network settings provider. */
export function whenCoreLoads(fn: (core: Core) => void): void {
  if (core) void core.then(fn);
  else onLoad.push(fn);
}
