// An exchange's deadline: times out as AbortSignal.timeout would, follows
// the caller's abort, says which of the two ended it, and once ended
// neither fires.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { Deadline } from '../../src/network/deadline.js';

t.test('runs out: aborts with a TimeoutError and says it timed out', async (t) => {
  const deadline = new Deadline(20);
  t.notOk(deadline.signal.aborted);
  await sleep(60);
  t.ok(deadline.signal.aborted);
  t.ok(deadline.timedOut);
  t.match(deadline.signal.reason, { name: 'TimeoutError' }, 'the reason AbortSignal.timeout gives');
});

t.test("the caller's abort ends it with the caller's reason, not as a timeout", async (t) => {
  const caller = new AbortController();
  const deadline = new Deadline(10_000, caller.signal);
  caller.abort(new Error('caller left'));
  t.ok(deadline.signal.aborted);
  t.notOk(deadline.timedOut);
  t.equal((deadline.signal.reason as Error).message, 'caller left');
  deadline.end();
});

t.test('a caller already aborted: aborted from the start', async (t) => {
  const caller = new AbortController();
  caller.abort(new Error('before'));
  const deadline = new Deadline(10_000, caller.signal);
  t.ok(deadline.signal.aborted);
  t.equal((deadline.signal.reason as Error).message, 'before');
  deadline.end();
});

t.test('ended: neither the time nor the caller aborts it any more', async (t) => {
  const caller = new AbortController();
  const deadline = new Deadline(20, caller.signal);
  deadline.end();
  await sleep(60);
  caller.abort();
  t.notOk(deadline.signal.aborted, 'the exchange is over: nothing to abort');
  t.notOk(deadline.timedOut);
});
