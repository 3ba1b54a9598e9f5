import type { NetworkOptions } from '../http';
import type { RetryOptions } from './retry';

/**
 * Network settings an application supplies for every request that does not bring its own
 * (`ConnectionOptions.network` / `timeoutMs` / `retry`). The VS Code extension installs one that
 * reads its settings (src/netSettings); scripts using dist/core.js can install their own or pass options.
 * Kept free of imports with side effects: the extension loads it at activation.
 */
export interface NetworkDefaults {
  network?: NetworkOptions;
  timeoutMs?: number;
  retry?: RetryOptions | false;
}

/** Called per request with its URL; may reject (e.g. a JiraError('config') for a bad CA file). */
export type NetworkProvider = (url: string, signal?: AbortSignal) => Promise<NetworkDefaults | undefined> | NetworkDefaults | undefined;

let provider: NetworkProvider | undefined;

/** Install (or with undefined, remove) the provider; returns a function that removes it again. */
export function setNetworkProvider(p: NetworkProvider | undefined): () => void {
  provider = p;
  return () => {
    if (provider === p) provider = undefined;
  };
}

export function getNetworkProvider(): NetworkProvider | undefined {
  return provider;
}
