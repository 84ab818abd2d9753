/** Operations per second of a call repeated for at least `minMs` (the benches' common measure). */
export function rate(fn: () => void, minMs: number): number {
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    ops++;
  }
  return (ops * 1000) / (performance.now() - start);
}

/** The same for an async call that resolves with how many operations it did. */
export async function rateAsync(fn: () => Promise<number>, minMs: number): Promise<number> {
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) ops += await fn();
  return (ops * 1000) / (performance.now() - start);
}

export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** `total` calls by `concurrency` parallel loops: sorted latencies (ms) and calls per second. */
export async function measureConcurrent(total: number, concurrency: number, call: (i: number) => Promise<void>): Promise<{ latencies: number[]; p50: number; perSecond: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await call(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { latencies, p50: quantile(latencies, 0.5), perSecond: total / seconds };
}
