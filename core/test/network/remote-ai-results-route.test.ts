// POST /aiResults refusals with go-livepeer's texts and codes, in its order
// (Authorization, Credentials, Content-Type, TaskId), unknown and bad results,
// and the file route, all through the real front door.
import { connect, type OutgoingHttpHeaders } from 'node:http2';
import t, { type Test } from 'tap';
import { aiWorkerErrors, type AIResult } from '../../src/network/remote-ai/index.js';
import { GoAIWorkerDouble } from './helpers/go-ai-worker-double.js';
import { SECRET, startRemoteAINode, until, type RemoteAINode } from './helpers/remote-ai-node.js';

const MODEL = 'stabilityai/sd-turbo';
const GOOD = { authorization: 'Livepeer-AI-Worker-1.0', credentials: SECRET, pipeline: 'text-to-image' };

async function node(t: Test): Promise<RemoteAINode> {
  const n = await startRemoteAINode();
  t.teardown(() => n.close());
  return n;
}

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

const post = (n: RemoteAINode, headers: Record<string, string>, body = 'x') => h2(n.url, { ':path': '/aiResults', ...headers }, body);

/** A job parked on a hanging worker, so the test can answer it by hand. */
async function pendingJob(t: Test, n: RemoteAINode): Promise<{ taskId: string; result: Promise<AIResult> }> {
  const w = new GoAIWorkerDouble({ orchAddr: n.orchAddr, secret: SECRET, models: [{ pipeline: 'text-to-image', modelId: MODEL, capacity: 1 }], behavior: 'hang' });
  t.teardown(() => w.close());
  await until(() => n.pool.workerCount === 1, 'registration');
  const result = n.pool.dispatch({ requestId: 'r', pipeline: 'text-to-image', modelId: MODEL, request: {} });
  result.catch(() => undefined);
  const job = await w.nextJob();
  return { taskId: job.taskId, result };
}

t.test('refusals before the task is looked at, in go-livepeer order', async (t) => {
  const n = await node(t);
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
  t.match(
    n.routeErrors.map((e) => (e as { code: string }).code),
    [
      aiWorkerErrors.AUTH_TYPE_INVALID.code,
      aiWorkerErrors.SECRET_INVALID.code,
      aiWorkerErrors.SECRET_INVALID.code,
      aiWorkerErrors.RESULT_CONTENT_TYPE.code,
      aiWorkerErrors.RESULT_CONTENT_TYPE.code,
      aiWorkerErrors.TASK_ID_INVALID.code,
      aiWorkerErrors.TASK_ID_INVALID.code,
    ],
  );
});

t.test('a result for a task that is not pending is answered OK and dropped', async (t) => {
  const n = await node(t);
  t.match(await post(n, { ...GOOD, taskid: '42', 'content-type': 'livepeer/ai-worker-error' }, 'late'), { status: 200, body: 'OK' });
  t.match(n.routeErrors, [{ code: aiWorkerErrors.TASK_UNKNOWN.code }]);
});

t.test('an unsupported content type fails the job at once', async (t) => {
  const n = await node(t);
  const { taskId, result } = await pendingJob(t, n);
  t.match(await post(n, { ...GOOD, taskid: taskId, 'content-type': 'application/json' }, '{}'), { status: 415 });
  await t.rejects(result, { code: aiWorkerErrors.RESULT_CONTENT_TYPE.code });
});

t.test('a malformed multipart result fails the job with a 400 to the worker', async (t) => {
  const n = await node(t);
  const { taskId, result } = await pendingJob(t, n);
  const answer = await post(n, { ...GOOD, taskid: taskId, 'content-type': 'multipart/mixed; boundary=abc' }, 'garbage without parts');
  t.equal(answer.status, 400);
  t.match(answer.body, /no opening delimiter/);
  await t.rejects(result, { code: aiWorkerErrors.RESULT_INVALID.code });
  t.equal(n.pool.hasCapacity('text-to-image', MODEL), true, 'slot back');
});

t.test('a multipart result without a JSON part, or with bad JSON, fails the job', async (t) => {
  const n = await node(t);
  const { taskId, result } = await pendingJob(t, n);
  const body = '--b\r\nContent-Type: application/json\r\n\r\n{nope\r\n--b--\r\n';
  const answer = await post(n, { ...GOOD, taskid: taskId, 'content-type': 'multipart/mixed; boundary=b' }, body);
  t.equal(answer.status, 400);
  t.match(answer.body, /result JSON part is not valid JSON/);
  await t.rejects(result, { code: aiWorkerErrors.RESULT_INVALID.code });
});

t.test('a worker error with an empty body is still an error', async (t) => {
  const n = await node(t);
  const { taskId, result } = await pendingJob(t, n);
  t.match(await post(n, { ...GOOD, taskid: taskId, 'content-type': 'livepeer/ai-worker-error' }, ''), { status: 200, body: 'OK' });
  await t.rejects(result, { code: aiWorkerErrors.WORKER_ERROR.code, message: '' });
});

t.test('stored files: unknown paths are 404', async (t) => {
  const n = await node(t);
  t.match(await h2(n.url, { ':path': '/ai-worker/files/00112233445566778899aabbccddeeff/x.png' }), { status: 404, body: 'Not Found\n' });
  const stored = n.pool.files.put('x.png', 'image/png', Buffer.from('png'));
  t.match(await h2(n.url, { ':path': stored.path }), { status: 200, body: 'png', type: 'image/png' });
});
