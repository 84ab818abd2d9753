/** Reads one counter (summed over its labels) from a node's Prometheus /metrics. */
export async function scrapeCounter(httpUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(line.trim().split(/\s+/).at(-1));
  }
  return sum;
}
