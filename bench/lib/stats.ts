/** Small statistics and reporting helpers shared by the benchmarks (plain Node). */

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile (q in 0..1) of a sample. */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function summary(xs: readonly number[], digits = 4): { n: number; median: number; p10: number; p90: number; min: number; max: number } {
  const r = (v: number) => Number(v.toFixed(digits));
  return {
    n: xs.length,
    median: r(median(xs)),
    p10: r(quantile(xs, 0.1)),
    p90: r(quantile(xs, 0.9)),
    min: r(Math.min(...xs)),
    max: r(Math.max(...xs)),
  };
}

/** Milliseconds elapsed since `t0` (from process.hrtime.bigint()). */
export function msSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Progress and notes go to stderr; stdout carries only the result line. */
export function note(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** The one line bench/run.mjs reads from a benchmark's stdout. */
export function emitResult(result: unknown): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

export function round(v: number, digits = 3): number {
  return Number(v.toFixed(digits));
}
