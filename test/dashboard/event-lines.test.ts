// The dashboard's live feed folds a job's events into one line (dashboard/src/event-lines.ts):
// the events as the node sends them on /events, folded the way the page folds them.
import t from 'tap';
import { eventItem, foldLine, jobText, MAX_LINES, summarize, type FeedItem } from '../../dashboard/src/event-lines.js';

const RECEIVED = '2026-12-03T05:00:00.000Z';

function job(fields: Record<string, unknown>): string {
  return JSON.stringify({ type: 'job', scope: 'node', capability: 'byoc/echo', at: Date.parse('2026-12-03T04:00:00.000Z'), ...fields });
}

function feedOf(events: readonly { kind: 'job' | 'payment'; data: string }[], max?: number): FeedItem[] {
  let lines: FeedItem[] = [];
  for (const e of events) lines = foldLine(lines, eventItem(e.kind, e.data, RECEIVED), max);
  return lines;
}

t.test('a job’s phases are one line, updated in place', async (t) => {
  const lines = feedOf([
    { kind: 'job', data: job({ id: 'a', phase: 'queued' }) },
    { kind: 'job', data: job({ id: 'a', phase: 'started', attempt: 1 }) },
    { kind: 'job', data: job({ id: 'a', phase: 'completed', attempt: 1, outcome: 'completed', durationMs: 12.4 }) },
  ]);
  t.equal(lines.length, 1);
  t.equal(lines[0]!.text, 'byoc/echo · queued → started → completed · 12 ms · a');
  t.equal(lines[0]!.kind, 'job');
  t.equal(lines[0]!.at, '2026-12-03T04:00:00.000Z', 'the event’s own time, not when the page got it');
});

t.test('jobs interleave: each keeps its place, newest job on top', async (t) => {
  const lines = feedOf([
    { kind: 'job', data: job({ id: 'a', phase: 'queued' }) },
    { kind: 'job', data: job({ id: 'b', phase: 'queued' }) },
    { kind: 'payment', data: JSON.stringify({ type: 'payment', phase: 'ticket_received', tickets: 2, valueWei: '3000' }) },
    { kind: 'job', data: job({ id: 'a', phase: 'started', attempt: 1 }) },
    { kind: 'job', data: job({ id: 'a', phase: 'completed', attempt: 1, durationMs: 5 }) },
  ]);
  t.same(
    lines.map((l) => l.text),
    ['ticket_received · value 3000 wei · 2 tickets', 'byoc/echo · queued · b', 'byoc/echo · queued → started → completed · 5 ms · a'],
    'payments stay a line each; job a was updated where it stood',
  );
});

t.test('a retried job: its attempts and last error, cleared when the next attempt starts', async (t) => {
  const events = [
    { kind: 'job' as const, data: job({ id: 'r', phase: 'started', attempt: 1 }) },
    { kind: 'job' as const, data: job({ id: 'r', phase: 'retried', attempt: 1, outcome: 'failed', durationMs: 30, error: 'worker exploded' }) },
  ];
  t.equal(feedOf(events)[0]!.text, 'byoc/echo · started → retried · 30 ms · worker exploded · r');
  events.push({ kind: 'job', data: job({ id: 'r', phase: 'started', attempt: 2 }) });
  t.equal(feedOf(events)[0]!.text, 'byoc/echo · started → retried → started · attempt 2 · r', 'the error was the first attempt’s');
  events.push({ kind: 'job', data: job({ id: 'r', phase: 'failed', attempt: 2, outcome: 'failed', durationMs: 40, error: 'again' }) });
  const [line] = feedOf(events);
  t.equal(line!.text, 'byoc/echo · started → retried → started → failed · attempt 2 · 40 ms · again · r');
});

t.test('the same id in two scopes is two jobs; a gateway request says so', async (t) => {
  const lines = feedOf([
    { kind: 'job', data: job({ id: 'x', phase: 'queued', scope: 'gateway' }) },
    { kind: 'job', data: job({ id: 'x', phase: 'queued', scope: 'node' }) },
  ]);
  t.same(
    lines.map((l) => l.text),
    ['byoc/echo · queued · x', 'byoc/echo · request · queued · x'],
  );
});

t.test('bounded: at most MAX_LINES, the oldest go first; an update of a kept line adds none', async (t) => {
  const events = Array.from({ length: MAX_LINES + 5 }, (_, i) => ({ kind: 'job' as const, data: job({ id: `j${i}`, phase: 'queued' }) }));
  let lines = feedOf(events);
  t.equal(lines.length, MAX_LINES);
  t.equal(lines[0]!.key, `job:node:j${MAX_LINES + 4}`, 'newest first');
  t.equal(lines[MAX_LINES - 1]!.key, 'job:node:j5', 'j0..j4 dropped');
  lines = foldLine(lines, eventItem('job', job({ id: 'j5', phase: 'started' }), RECEIVED));
  t.equal(lines.length, MAX_LINES);
  t.match(lines[MAX_LINES - 1]!.text, /queued → started/);
  lines = foldLine(lines, eventItem('job', job({ id: 'j0', phase: 'completed' }), RECEIVED));
  t.equal(lines[0]!.text, 'byoc/echo · completed · j0', 'a job whose line was dropped starts a new one');
  t.equal(feedOf(events.slice(0, 3), 2).length, 2, 'the bound is a parameter');
});

t.test('a long retry history keeps its latest phases', async (t) => {
  const phases = ['queued', 'started', 'retried', 'started', 'retried', 'started', 'retried', 'started', 'completed'];
  const [line] = feedOf(phases.map((phase) => ({ kind: 'job' as const, data: job({ id: 'long', phase }) })));
  t.same(line!.job!.phases, ['started', 'retried', 'started', 'retried', 'started', 'completed']);
});

t.test('what the stream may also send: no id, no time, not JSON', async (t) => {
  const noId = eventItem('job', JSON.stringify({ capability: 'byoc/echo', phase: 'queued' }), RECEIVED);
  t.equal(noId.key, undefined, 'a job event without an id is a line of its own');
  t.equal(noId.at, RECEIVED, 'no `at`: the time it arrived');
  t.equal(noId.text, 'byoc/echo · queued');
  t.equal(eventItem('payment', 'not json', RECEIVED).text, 'not json');
  t.equal(summarize('x'.repeat(200)).length, 120, 'long raw text is clipped');
  t.equal(summarize(JSON.stringify({ phase: 'ticket_redeemed', payoutWei: '10', tickets: 1 })), 'ticket_redeemed · paid 10 wei · 1 tickets');
  t.equal(jobText({ capability: 'c', id: 'i', phases: [] }), 'c · i');
  t.equal(jobText({ capability: 'c', id: 'dd26c2e0-5fc0-4501-95c6-b4ddca1137f3', phases: ['queued'] }), 'c · queued · dd26c2e0…', 'a uuid is shortened');
});
