/** When the bundle started evaluating: imported first by extension.ts, so it runs first. */
export const moduleStart = performance.now();
