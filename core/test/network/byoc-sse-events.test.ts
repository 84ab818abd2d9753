// Event-stream lines into events, and the balance an orchestrator reports in one (ADR 0049).
import t from 'tap';
import { balanceInLine, readLines, SseEventCollector } from '../../src/network/byoc/index.js';

t.test('lines split on \\n, a trailing \\r dropped, a last line without its end kept', async (t) => {
  async function* chunks() {
    yield Buffer.from('data: a\r\n\r\nda');
    yield Buffer.from('ta: b\n\nevent: x\ndata: c');
  }
  const lines: string[] = [];
  for await (const line of readLines(chunks())) lines.push(line);
  t.same(lines, ['data: a', '', 'data: b', '', 'event: x', 'data: c']);
});

t.test('events: data lines join, event and id name it, comments are skipped, an unfinished one is kept', async (t) => {
  const collector = new SseEventCollector();
  for (const line of [': keep-alive', 'data: one', 'data: two', 'id: 7', '', 'event: note', 'data:{"x":1}', '', '', 'data: tail']) collector.push(line);
  t.same(collector.finish(), [{ data: 'one\ntwo', id: '7' }, { event: 'note', data: '{"x":1}' }, { data: 'tail' }]);
});

t.test('the balance in a balance event, rounded down to whole wei', async (t) => {
  t.equal(balanceInLine('data: {"balance": 1234.567}'), 1234n);
  t.equal(balanceInLine('data: {"balance": 0}'), 0n);
  t.equal(balanceInLine('data: {"balance": -1.500}'), -2n);
  t.equal(balanceInLine('data: {"balance": -3.000}'), -3n);
  t.equal(balanceInLine('data: {"other": 1}'), undefined);
  t.equal(balanceInLine('data: [DONE]'), undefined);
});
