// LLM on the paid front door: a streaming request is relayed from the
// worker process as server-sent events in the runner's order and debited
// price × max_tokens once it starts (as go-livepeer does); a runner that
// hangs is stopped at ai.requestTimeoutMs with a 500 and no debit; a
// caller that leaves mid-stream cancels the runner call on the worker and
// the capacity comes back.
import t from 'tap';
import { request } from 'undici';
import { Rational } from '../../src/payments/index.js';
import { llm } from './helpers/test-pipelines.js';
import { startPaidAIOrchestrator, until } from './helpers/paid-ai-orchestrator.js';

const MODEL = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
const messages = [{ role: 'user', content: 'hi' }];

t.test('llm: SSE relayed in order, JSON, timeout and caller abort', async (t) => {
  const node = await startPaidAIOrchestrator(t, {
    pipelines: [llm],
    offers: [{ pipeline: 'llm', modelId: MODEL, capacity: 1, warm: true, price: { pricePerUnit: '5', pixelsPerUnit: '1' } }],
    requestTimeoutMs: 1_500,
  });
  await until(() => (node.registry.get('ai/llm')?.capacity ?? 0) === 1, 'the llm offer on the orchestrator');
  const s = await node.session(llm, MODEL);

  const paid = await s.headers(40n);
  const res = await node.post('/llm', paid.headers, JSON.stringify({ model: MODEL, messages, max_tokens: 40, stream: true }));
  t.equal(res.status, 200, res.text);
  t.equal(res.headers['content-type'], 'text/event-stream');
  const events = res.text.split('\n\n').filter(Boolean);
  t.ok(events.every((e) => e.startsWith('data: ')), 'every event is a data: line');
  const chunks = events.map((e) => JSON.parse(e.slice('data: '.length)) as { choices: { delta: { content?: string }; finish_reason: string | null }[] });
  t.equal(chunks.map((c) => c.choices[0]!.delta.content ?? '').join(''), 'hello from lpx', 'tokens in the runner order');
  t.equal(chunks.at(-1)!.choices[0]!.finish_reason, 'stop', 'ends with the finish chunk');
  t.ok((await s.balance())?.eq(paid.credit.sub(Rational.of(5n).mulInt(40n))), 'debited 5 wei × max_tokens');
  await until(() => node.registry.inUse('ai/llm', MODEL) === 0, 'capacity released after the stream');

  const whole = await node.post('/llm', (await s.headers(8n)).headers, JSON.stringify({ model: MODEL, messages, max_tokens: 8 }));
  t.equal(whole.status, 200, whole.text);
  t.match(JSON.parse(whole.text), { choices: [{ message: { content: 'hello from lpx' } }], usage: { total_tokens: 6 } }, 'a non-streaming answer is JSON');

  const missing = await node.post('/llm', (await s.headers(8n)).headers, JSON.stringify({ model: MODEL, messages }));
  t.equal(missing.status, 400);
  t.equal(missing.text, 'MaxTokens not specified\n', "go-livepeer's text for a request without max_tokens");

  // A runner that never answers: stopped at the request timeout, 500, nothing debited.
  node.runner.behavior = 'hang';
  const before = await s.balance();
  const hung = await node.post('/llm', (await s.headers(8n)).headers, JSON.stringify({ model: MODEL, messages, max_tokens: 8, stream: true }));
  t.equal(hung.status, 500);
  t.equal(hung.headers['x-lpx-error-code'], 'LPX_ERR_AI_RUNNER_TIMEOUT');
  const afterHang = await s.balance();
  t.ok(afterHang!.gte(before!), 'a timed-out request is not debited');
  await until(() => node.runner.hung.size === 0, 'the worker closed its call to the hung runner');
  t.equal(node.registry.inUse('ai/llm', MODEL), 0, 'capacity released after the timeout');

  // A caller that leaves while the runner works: the worker cancels its runner call.
  const controller = new AbortController();
  const leaving = request(`${node.uri}/llm`, { method: 'POST', headers: { ...(await s.headers(8n)).headers, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, messages, max_tokens: 8, stream: true }), signal: controller.signal }).catch(() => undefined);
  await until(() => node.runner.hung.size === 1, 'the request reached the runner');
  controller.abort();
  await leaving;
  await until(() => node.runner.hung.size === 0, 'the worker cancelled the runner call');
  await until(() => node.registry.inUse('ai/llm', MODEL) === 0, 'capacity released after the caller left');
  node.runner.behavior = 'ok';

  // A runner that dies mid-stream: the 200 is out, so the connection is cut (no clean end of stream).
  node.runner.behavior = 'die-mid-stream';
  const cut = await request(`${node.uri}/llm`, { method: 'POST', headers: { ...(await s.headers(8n)).headers, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL, messages, max_tokens: 8, stream: true }) });
  t.equal(cut.statusCode, 200, 'the stream had started');
  const text = await cut.body.text().then(
    (v) => ({ ok: true, v }),
    (error: unknown) => ({ ok: false, v: String(error) }),
  );
  t.notOk(text.ok && text.v.includes('"finish_reason":"stop"'), 'no finish chunk: the gateway sees the stream broke');
  node.runner.behavior = 'ok';
  await until(() => node.registry.inUse('ai/llm', MODEL) === 0, 'capacity released after the broken stream');

  const again = await node.post('/llm', (await s.headers(8n)).headers, JSON.stringify({ model: MODEL, messages, max_tokens: 8, stream: true }));
  t.equal(again.status, 200, 'the node keeps serving');
});
