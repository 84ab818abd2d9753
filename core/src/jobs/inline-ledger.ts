/**
 * Keeps the synchronous jobs a process runs without the queue (ADR 0067)
 * durable: one Redis hash per process (`<prefix>:inline:<owner>`, job id →
 * the job as it would be queued), written before a job runs and cleared when
 * it ends, and a lease (`<prefix>:inline-alive:<owner>`) the process renews
 * while it lives. Every kernel with workers sweeps: a ledger whose lease
 * lapsed (its process died) is taken over in one script and each of its jobs
 * is queued under its own id, so it runs again in whichever worker takes it,
 * as a stalled BullMQ job would. A sweeper that dies half-way leaves the
 * rest in its own ledger, which the next sweeper takes; queueing an id twice
 * adds nothing (BullMQ keeps the first).
 *
 * The writes of one turn of the event loop go out together (flushed on
 * setImmediate, after the loop has read every socket that was ready): one
 * HSET and one HDEL at most, however many jobs started or ended, in one
 * socket write. A clear alone waits up to CLEAR_DELAY_MS for the next job's
 * record to ride along with: the job's answer has gone out already, so a
 * process dying inside that window only means its last jobs run once more
 * (an orchestrator joins a repeated request id to its first run).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LoggerService } from '@lpx/sdk';

/** A job as the queue would hold it: capability, data, options, and the attempts it has used. */
export interface LedgerEntry {
  readonly capabilityId: string;
  readonly data: unknown;
  readonly attempts: number;
  readonly backoff?: { readonly type: 'fixed' | 'exponential'; readonly delay: number } | undefined;
  readonly priority?: number | undefined;
  readonly attemptsMade: number;
}

/** How long a clear may wait for a record to share its write (CPU and a syscall per job at load). */
export const CLEAR_DELAY_MS = 20;

export type Requeue = (jobId: string, entry: LedgerEntry) => Promise<void>;

interface PendingWrite {
  readonly jobId: string;
  /** The entry's JSON to write, or undefined to clear it. */
  readonly value: string | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * KEYS: the dead owner's lease, its ledger, the owners set, the sweeper's ledger; ARGV: the dead owner.
 * Moves the ledger's entries into the sweeper's and forgets the owner, unless its lease is alive.
 */
const TAKE_OVER = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {} end
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do redis.call('HSET', KEYS[4], entries[i], entries[i + 1]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return entries
`;

export class InlineLedger {
  readonly owner = randomUUID();
  readonly #connection: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #logger: LoggerService | undefined;
  #joined: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #closed = false;
  #pending: PendingWrite[] = [];
  /** A flush on the next setImmediate is scheduled (a record is pending). */
  #flushSoon = false;
  /** Only clears are pending: flushed after CLEAR_DELAY_MS unless a record comes first. */
  #clearTimer: NodeJS.Timeout | undefined;

  constructor(options: { connection: Redis; prefix: string; leaseMs: number; logger: LoggerService | undefined }) {
    this.#connection = options.connection;
    this.#prefix = options.prefix;
    this.#leaseMs = options.leaseMs;
    this.#logger = options.logger;
  }

  #ledgerKey(owner: string): string {
    return `${this.#prefix}:inline:${owner}`;
  }

  #leaseKey(owner: string): string {
    return `${this.#prefix}:inline-alive:${owner}`;
  }

  get #ownersKey(): string {
    return `${this.#prefix}:inline-owners`;
  }

  /** Writes the job before it runs (and again with each attempt made); the first write also takes the lease. */
  async record(jobId: string, entry: LedgerEntry): Promise<void> {
    // A failed start is not remembered: the next job tries again.
    await (this.#joined ??= this.#join().catch((error: unknown) => {
      this.#joined = undefined;
      throw error;
    }));
    await this.#write(jobId, JSON.stringify(entry));
  }

  /** The job ended (or was queued): nothing is left to hand on. */
  clear(jobId: string): Promise<void> {
    return this.#write(jobId, undefined);
  }

  #write(jobId: string, value: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ jobId, value, resolve, reject });
      if (this.#flushSoon) return;
      if (value !== undefined || this.#closed) {
        this.#flushSoon = true;
        setImmediate(() => this.#flush());
      } else {
        this.#clearTimer ??= setTimeout(() => this.#flush(), CLEAR_DELAY_MS).unref();
      }
    });
  }

  #flush(): Promise<unknown> {
    this.#flushSoon = false;
    clearTimeout(this.#clearTimer);
    this.#clearTimer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return Promise.resolve();
    const key = this.#ledgerKey(this.owner);
    // The last write to a job wins (one connection keeps order): one HSET of what is set, one HDEL of
    // what is cleared — plain commands, not a pipeline object, which cost more than the writes.
    const last = new Map<string, string | undefined>();
    for (const { jobId, value } of batch) last.set(jobId, value);
    const sets: string[] = [];
    const clears: string[] = [];
    for (const [jobId, value] of last) {
      if (value === undefined) clears.push(jobId);
      else sets.push(jobId, value);
    }
    // Corked, both commands leave in one write (ioredis writes each command to the socket at once).
    const stream = (this.#connection as { stream?: { cork?(): void; uncork?(): void } }).stream;
    stream?.cork?.();
    let hset: Promise<unknown> | undefined;
    let hdel: Promise<unknown> | undefined;
    try {
      hset = sets.length > 0 ? this.#connection.hset(key, ...sets) : undefined;
      hdel = clears.length > 0 ? this.#connection.hdel(key, ...clears) : undefined;
    } finally {
      stream?.uncork?.();
    }
    // Each write settles with the command that carries its job's last state.
    for (const write of batch) {
      const command = last.get(write.jobId) === undefined ? hdel : hset;
      command!.then(() => write.resolve(), write.reject);
    }
    return Promise.allSettled([hset, hdel]);
  }

  async #join(): Promise<void> {
    await this.#connection.multi().sadd(this.#ownersKey, this.owner).set(this.#leaseKey(this.owner), '1', 'PX', this.#leaseMs).exec();
    // Renewed at a third of the lease: two renewals may fail (a Redis hiccup) before another process sweeps.
    this.#heartbeat = setInterval(() => {
      this.#connection.set(this.#leaseKey(this.owner), '1', 'PX', this.#leaseMs).catch((error: unknown) => this.#logger?.warn({ err: error }, 'renewing the inline job lease failed'));
    }, Math.max(1, Math.floor(this.#leaseMs / 3)));
    this.#heartbeat.unref();
  }

  /** Sweeps every `intervalMs` (a kernel with workers: it can run what it finds). */
  startSweeping(intervalMs: number, requeue: Requeue): void {
    if (this.#sweeper || this.#closed) return;
    this.#sweeper = setInterval(() => {
      this.sweep(requeue).catch((error: unknown) => this.#logger?.warn({ err: error }, 'sweeping inline job ledgers failed'));
    }, intervalMs);
    this.#sweeper.unref();
  }

  /** Queues the jobs of every process whose lease lapsed; returns how many. */
  async sweep(requeue: Requeue): Promise<number> {
    const owners = await this.#connection.smembers(this.#ownersKey);
    let handed = 0;
    for (const owner of owners) {
      if (owner === this.owner) continue;
      const keys = [this.#leaseKey(owner), this.#ledgerKey(owner), this.#ownersKey, this.#ledgerKey(this.owner)];
      const flat = (await this.#connection.eval(TAKE_OVER, keys.length, ...keys, owner)) as string[];
      if (flat.length > 0) this.#logger?.warn({ owner, jobs: flat.length / 2 }, 'a process died with synchronous jobs under way: queueing them');
      const clears: Promise<void>[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const jobId = flat[i]!;
        await requeue(jobId, JSON.parse(flat[i + 1]!) as LedgerEntry);
        clears.push(this.clear(jobId));
        handed++;
      }
      await Promise.all(clears);
    }
    return handed;
  }

  /**
   * Stops renewing and sweeping. With nothing left in the ledger the owner
   * leaves at once; otherwise its lease lapses and another process sweeps.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearInterval(this.#sweeper);
    // Clears still waiting for company go out now, so a ledger emptied by its jobs reads empty.
    await this.#flush();
    if (this.#joined === undefined) return;
    const left = await this.#connection.hlen(this.#ledgerKey(this.owner));
    if (left === 0) await this.#connection.multi().srem(this.#ownersKey, this.owner).del(this.#leaseKey(this.owner)).exec();
  }
}
