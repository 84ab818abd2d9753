import { findFreePort } from '../redis/free-port.js';

/**
 * `count` distinct free loopback ports. The kernel may hand the same free port
 * to two back-to-back asks (each probe closes before the next), and two nodes
 * given one port fail at start: duplicates are asked for again.
 */
export async function distinctFreePorts(count: number, freePort: () => Promise<number> = findFreePort, taken: ReadonlySet<number> = new Set()): Promise<number[]> {
  const seen = new Set(taken);
  const ports: number[] = [];
  // Bounded: a port finder that keeps answering taken ports is broken, not unlucky.
  for (let attempts = 0; ports.length < count; attempts++) {
    if (attempts > count * 20 + 20) throw new Error(`could not find ${count} distinct free ports (found ${ports.length})`);
    const port = await freePort();
    if (seen.has(port)) continue;
    seen.add(port);
    ports.push(port);
  }
  return ports;
}
