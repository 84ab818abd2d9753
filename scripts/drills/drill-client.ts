/**
 * A gateway client as the drills use it: echo jobs, sync or async, with the
 * tenant key when there is one, and status polling that tolerates a gateway
 * that is down for a restart.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface EchoInput {
  readonly text: string;
  readonly delayMs?: number;
}

export interface JobState {
  readonly state?: string;
  readonly result?: { output?: { text?: string }; orchestrator?: string };
  readonly failedReason?: string;
}

export class DrillClient {
  constructor(
    private readonly gatewayUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'content-type': 'application/json', ...(this.apiKey === undefined ? {} : { authorization: `Bearer ${this.apiKey}` }), ...extra };
  }

  /** Synchronous echo job; resolves with the HTTP status and elapsed milliseconds. */
  async run(input: EchoInput): Promise<{ status: number; ms: number; text: string | undefined }> {
    const started = performance.now();
    try {
      const response = await fetch(`${this.gatewayUrl}/v1/jobs/byoc/echo`, { method: 'POST', headers: this.headers(), body: JSON.stringify(input), signal: AbortSignal.timeout(120_000) });
      const body = (await response.json().catch(() => undefined)) as { text?: string } | undefined;
      return { status: response.status, ms: performance.now() - started, text: body?.text };
    } catch {
      return { status: 0, ms: performance.now() - started, text: undefined };
    }
  }

  /** Async echo job; the status path on 202, undefined when not accepted (gateway down, refused). */
  async submit(input: EchoInput): Promise<string | undefined> {
    try {
      const response = await fetch(`${this.gatewayUrl}/v1/jobs/byoc/echo?async=true`, { method: 'POST', headers: this.headers(), body: JSON.stringify(input), signal: AbortSignal.timeout(30_000) });
      if (response.status !== 202) return undefined;
      return ((await response.json()) as { status: string }).status;
    } catch {
      return undefined;
    }
  }

  async status(path: string): Promise<JobState | undefined> {
    try {
      const response = await fetch(`${this.gatewayUrl}${path}`, { headers: this.headers(), signal: AbortSignal.timeout(10_000) });
      return response.ok ? ((await response.json()) as JobState) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Polls every accepted job until each is completed or failed, or the deadline passes. */
  async settle(paths: readonly string[], deadlineMs: number): Promise<Map<string, JobState | undefined>> {
    const states = new Map<string, JobState | undefined>(paths.map((p) => [p, undefined]));
    const until = Date.now() + deadlineMs;
    for (;;) {
      const open = [...states].filter(([, s]) => s?.state !== 'completed' && s?.state !== 'failed').map(([p]) => p);
      if (open.length === 0 || Date.now() > until) return states;
      for (const path of open) states.set(path, (await this.status(path)) ?? states.get(path));
      await sleep(500);
    }
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
