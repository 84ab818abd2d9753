// Client-side helpers for tests that talk to an orchestrator's TLS front door
// (self-signed, as go-livepeer's): an undici agent that does not verify, and
// a poll for conditions that become true asynchronously (a worker
// registering). The remote transcoder pool itself moved to
// plugins/transcode-remote (docs/adr/0023-orchestrator-wire-and-remote-transcoder-plugin.md).
import { Agent } from 'undici';

export const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

/** Polls until `check` holds. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
