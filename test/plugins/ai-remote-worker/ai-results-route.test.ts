// POST /aiResults on the orchestrator's front door, mounted by the plugin:
// go-livepeer's refusals with its texts and statuses, in its order
// (Authorization, Credentials, Content-Type, TaskId), late and bad results,
// and the input route. Jobs are parked on a hanging worker double so the
// test can answer them by hand.
import { connect, type OutgoingHttpHeaders } from 'node:http2';
import t, { type Test } from 'tap';
import type { AIPipeline, AIPipelineResult } from '@lpx/sdk';
import { GoAIWorkerDouble } from './helpers/go-ai-worker-double.js';
import { pipelineRequest, SECRET, startRemoteAINode, until, type RemoteAINode } from './helpers/remote-ai-node.js';

const MODEL = 'stabilityai/sd-turbo';
const GOOD = { authorization: 'Livepeer-AI-Worker-1.0', credentials: SECRET, pipeline: 'text-to-image' };

function h2(url: string, headers: OutgoingHttpHeaders, body?: string | Buffer): Promise<{ status: number; body: string; type: string }> {
  const session = connect(url, { rejectUnauthorized: false });
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': body === undefined ? 'GET' : 'POST', ...headers });
    let status = 0;
    let type = '';
    let text = '';
    req.setEncoding('utf8');
    req.on('response', (h) => ((status = Number(h[':status'])), (type = String(h['content-type'] ?? ''))));
    req.on('data', (c: string) => (text += c));
    req.on('end', () => (session.close(), resolve({ status, body: text, type })));
    req.on('error', (e) => (session.close(), reject(e)));
    req.end(body);
  });
}

const post = (n: RemoteAINode, headers: Record<string, string>, body = 'x') => h2(n.uri, { ':path': '/aiResults', ...headers }, body);
const refusals = (n: RemoteAINode) => n.logs.filter((l) => l.msg === 'remote AI worker route refused').map((l) => (l.obj as { err: { code: string } }).err.code);

/** A hanging worker double: jobs sent to it wait until the test answers them by hand. */
async function hangingWorker(t: Test, n: RemoteAINode): Promise<GoAIWorkerDouble> {
  const w = new GoAIWorkerDouble({ orchAddr: n.orchAddr, secret: SECRET, models: [{ pipeline: 'text-to-image', modelId: MODEL, capacity: 1 }], behavior: 'hang' });
  t.teardown(() => w.close());
  await until(() => n.executor.offers().length === 1, 'registration');
  return w;
}

/** A job parked on the (given or a new) hanging worker. */
async function pendingJob(t: Test, n: RemoteAINode, parkedOn?: GoAIWorkerDouble): Promise<{ taskId: string; result: Promise<AIPipelineResult>; worker: GoAIWorkerDouble }> {
  const w = parkedOn ?? (await hangingWorker(t, n));
  const request = pipelineRequest('text-to-image', MODEL, { kind: 'json', json: { prompt: 'p' } });
  const result = n.executor.execute({ requestId: 'r', pipeline: {} as AIPipeline, request, signal: new AbortController().signal });
  result.catch(() => undefined);
  const job = await w.nextJob();
  return { taskId: job.taskId, result, worker: w };
}

t.test('refusals before the task is looked at, in go-livepeer order', async (t) => {
  const n = await startRemoteAINode(t);
  t.match(await post(n, { ...GOOD, authorization: 'Livepeer-Transcoder-1.0', taskid: '0', 'content-type': 'livepeer/ai-worker-error' }), {
    status: 401,
    body: 'Unauthorized\n',
    type: 'text/plain; charset=utf-8',
  });
  t.match(await post(n, { ...GOOD, credentials: 'wrong', taskid: 'nope' }), { status: 401, body: 'invalid secret\n' }, 'secret before content type and task id');
  const { credentials: _omit, ...noCreds } = GOOD;
  t.match(await post(n, { ...noCreds, taskid: '0', 'content-type': 'livepeer/ai-worker-error' }), { status: 401, body: 'invalid secret\n' });
  t.match(await post(n, { ...GOOD, taskid: 'nope' }), { status: 415, body: 'mime: no media type\n' }, 'content type before task id');
  t.match(await post(n, { ...GOOD, taskid: '0', 'content-type': 'text/' }), { status: 415, body: 'mime: expected token after slash\n' });
  t.match(await post(n, { ...GOOD, taskid: 'nope', 'content-type': 'multipart/mixed; boundary=x' }), { status: 400, body: 'Invalid Task ID\n' });
  t.match(await post(n, { ...GOOD, taskid: '9223372036854775808', 'content-type': 'livepeer/ai-worker-error' }), { status: 400, body: 'Invalid Task ID\n' }, 'int64 range');
  t.same(refusals(n), [
    'LPX_ERR_AI_WORKER_AUTH_TYPE_INVALID',
    'LPX_ERR_AI_WORKER_SECRET_INVALID',
    'LPX_ERR_AI_WORKER_SECRET_INVALID',
    'LPX_ERR_AI_WORKER_RESULT_CONTENT_TYPE',
    'LPX_ERR_AI_WORKER_RESULT_CONTENT_TYPE',
    'LPX_ERR_AI_WORKER_TASK_ID_INVALID',
    'LPX_ERR_AI_WORKER_TASK_ID_INVALID',
  ]);
});

t.test('with no orchestrator.secret every result is refused', async (t) => {
  const n = await startRemoteAINode(t, { secret: '' });
  t.match(await post(n, { ...GOOD, credentials: '', taskid: '0', 'content-type': 'livepeer/ai-worker-error' }), { status: 401, body: 'invalid secret\n' });
});

t.test('a result for a task that is not pending is answered OK and dropped', async (t) => {
  const n = await startRemoteAINode(t);
  t.match(await post(n, { ...GOOD, taskid: '42', 'content-type': 'livepeer/ai-worker-error' }, 'late'), { status: 200, body: 'OK' });
  t.same(refusals(n), ['LPX_ERR_AI_WORKER_TASK_UNKNOWN']);
});

t.test('an unsupported content type fails the job at once', async (t) => {
  const n = await startRemoteAINode(t);
  const { taskId, result } = await pendingJob(t, n);
  t.match(await post(n, { ...GOOD, taskid: taskId, 'content-type': 'application/json' }, '{}'), { status: 415 });
  await t.rejects(result, { code: 'LPX_ERR_AI_RESULT_INVALID', details: { workerCode: 'LPX_ERR_AI_WORKER_RESULT_CONTENT_TYPE' } });
});

t.test('a malformed multipart result fails the job with a 400 to the worker; the slot comes back', async (t) => {
  const n = await startRemoteAINode(t);
  const { taskId, result, worker } = await pendingJob(t, n);
  const answer = await post(n, { ...GOOD, taskid: taskId, 'content-type': 'multipart/mixed; boundary=abc' }, 'garbage without parts');
  t.equal(answer.status, 400);
  t.match(answer.body, /no opening delimiter/);
  await t.rejects(result, { code: 'LPX_ERR_AI_RESULT_INVALID', details: { workerCode: 'LPX_ERR_AI_WORKER_RESULT_INVALID' } });
  const again = await pendingJob(t, n, worker);
  t.equal(again.taskId, '1', 'the worker takes the next job: its slot was given back');
});

t.test('bad JSON, or JSON naming a file the worker did not send, fails the job', async (t) => {
  const n = await startRemoteAINode(t);
  const first = await pendingJob(t, n);
  const bad = '--b\r\nContent-Type: application/json\r\n\r\n{nope\r\n--b--\r\n';
  const answer = await post(n, { ...GOOD, taskid: first.taskId, 'content-type': 'multipart/mixed; boundary=b' }, bad);
  t.equal(answer.status, 400);
  t.match(answer.body, /result JSON part is not valid JSON/);
  await t.rejects(first.result, { code: 'LPX_ERR_AI_RESULT_INVALID' });

  const second = await pendingJob(t, n, first.worker);
  const missing = '--b\r\nContent-Type: application/json\r\n\r\n{"images":[{"url":"a.png","seed":1}]}\r\n--b--\r\n';
  t.match(await post(n, { ...GOOD, taskid: second.taskId, 'content-type': 'multipart/mixed; boundary=b' }, missing), { status: 200 });
  await t.rejects(second.result, { code: 'LPX_ERR_AI_RESULT_INVALID', message: /names file "a\.png" but the worker sent no part/ });
});

t.test('a worker error with an empty body is still an error', async (t) => {
  const n = await startRemoteAINode(t);
  const { taskId, result } = await pendingJob(t, n);
  t.match(await post(n, { ...GOOD, taskid: taskId, 'content-type': 'livepeer/ai-worker-error' }, ''), { status: 200, body: 'OK' });
  await t.rejects(result, { code: 'LPX_ERR_AI_RUNNER_FAILED', message: '' });
});

t.test('inputs: unknown tokens are 404', async (t) => {
  const n = await startRemoteAINode(t);
  t.match(await h2(n.uri, { ':path': '/ai-worker/files/00112233445566778899aabbccddeeff/input.tempfile' }), { status: 404, body: 'Not Found\n' });
  t.same(refusals(n), ['LPX_ERR_AI_WORKER_FILE_NOT_FOUND']);
});
