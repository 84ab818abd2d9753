import t from 'tap';
import { DEDUPE_ENTRY_OVERHEAD_BYTES, DEFAULT_DEDUPE_MAX_BYTES, JobDedupe, type JobOutcome } from '../../src/network/byoc/job-dedupe.js';

const outcome = (size: number): JobOutcome => ({ status: 200, contentType: 'application/octet-stream', body: Buffer.alloc(size, 1) });

function finish(dedupe: JobDedupe, key: string, size: number): void {
  const claim = dedupe.claim(key, 'f'.repeat(64));
  if (claim.kind !== 'owner') throw new Error(`expected to own ${key}, got ${claim.kind}`);
  claim.complete(outcome(size));
}

t.test('results past the total budget: the bound holds, newest bodies kept, older ones tombstoned', async (t) => {
  const maxBytes = 1024 * 1024;
  const dedupe = new JobDedupe({ maxBytes, maxResultBytes: 200_000 });
  let worst = 0;
  for (let i = 0; i < 1_000; i++) {
    finish(dedupe, `sender\u0000job-${i}`, 100_000);
    worst = Math.max(worst, dedupe.bytes);
  }
  t.ok(worst <= maxBytes, `never above the cap (worst ${worst} of ${maxBytes})`);
  t.ok(dedupe.keptResultBytes <= maxBytes);
  const newest = dedupe.claim('sender\u0000job-999', 'f'.repeat(64));
  t.ok(newest.kind === 'done' && newest.outcome?.body.length === 100_000, 'the newest result is kept');
  const oldest = dedupe.claim('sender\u0000job-0', 'f'.repeat(64));
  t.ok(oldest.kind === 'owner' || (oldest.kind === 'done' && oldest.outcome === undefined), 'the oldest is a tombstone or forgotten');
});

t.test('tombstones and long ids count too: a flood of ids stays within the budget', async (t) => {
  const maxBytes = 256 * 1024;
  const dedupe = new JobDedupe({ maxBytes });
  const longId = 'x'.repeat(10_000);
  let worst = 0;
  for (let i = 0; i < 500; i++) {
    finish(dedupe, `${longId}-${i}`, 0);
    worst = Math.max(worst, dedupe.bytes);
  }
  t.ok(worst <= maxBytes, `never above the cap (worst ${worst})`);
  t.ok(dedupe.size < 500, `old ids dropped (${dedupe.size} kept)`);
  t.equal(dedupe.claim(`${longId}-499`, 'f'.repeat(64)).kind, 'done', 'the newest id is still remembered');
});

t.test('running entries are counted, and never dropped', async (t) => {
  const dedupe = new JobDedupe({ maxBytes: 64 * 1024 });
  const owners = [];
  for (let i = 0; i < 10; i++) owners.push(dedupe.claim(`run-${i}`, 'f'));
  t.ok(dedupe.bytes >= 10 * DEDUPE_ENTRY_OVERHEAD_BYTES, 'bookkeeping of running entries is counted');
  for (let i = 0; i < 200; i++) finish(dedupe, `done-${i}`, 2_000);
  t.ok(dedupe.bytes <= 64 * 1024);
  for (let i = 0; i < 10; i++) t.equal(dedupe.claim(`run-${i}`, 'f').kind, 'running', `run-${i} still running`);
  t.equal(owners.length, 10);
});

t.test('defaults: 64 MiB in all, a single body over 8 MiB is not kept, 100k ids at most', async (t) => {
  t.equal(DEFAULT_DEDUPE_MAX_BYTES, 64 * 1024 * 1024);
  const dedupe = new JobDedupe();
  finish(dedupe, 'big', 8 * 1024 * 1024 + 1);
  const big = dedupe.claim('big', 'f'.repeat(64));
  t.ok(big.kind === 'done' && big.outcome === undefined, 'tombstone only');
  for (let i = 0; i < 20; i++) finish(dedupe, `r-${i}`, 8 * 1024 * 1024);
  t.ok(dedupe.bytes <= DEFAULT_DEDUPE_MAX_BYTES, `20 × 8 MiB results stay within 64 MiB (${dedupe.bytes})`);
  t.ok(dedupe.keptResultBytes <= DEFAULT_DEDUPE_MAX_BYTES);
});
