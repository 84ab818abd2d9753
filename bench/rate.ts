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
