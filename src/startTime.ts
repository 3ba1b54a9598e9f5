/**
 * When the bundle started evaluating: imported first by extension.ts, so it runs first. Wall clock
 * (performance.now) and, where Node has it (22.19+, 24+), the extension host thread's CPU time, so
 * that the activation line can tell the extension's own work from time spent waiting for a CPU.
 */
type CpuReader = (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage;
const threadCpuUsage = (process as { threadCpuUsage?: CpuReader }).threadCpuUsage?.bind(process);

export const moduleStart = performance.now();
export const moduleStartCpu = threadCpuUsage?.();

/** This thread's CPU time so far (undefined where Node cannot tell). */
export function threadCpu(): NodeJS.CpuUsage | undefined {
  return threadCpuUsage?.();
}

/** Milliseconds of this thread's CPU time (user + system) since `from`; undefined where Node cannot tell. */
export function threadCpuMsSince(from: NodeJS.CpuUsage | undefined): number | undefined {
  if (!from || !threadCpuUsage) return undefined;
  const d = threadCpuUsage(from);
  return (d.user + d.system) / 1000;
}
