import t from 'tap';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobContext, LoggerService } from '@lpx/sdk';
import { postWebhook, withWebhook, type WebhookPayload } from '../../src/roles/gateway/webhook.js';
import type { RouteJobData, RouteJobResult } from '../../src/roles/gateway/route-job.js';

interface Received {
  method: string;
  contentType: string | undefined;
  body: unknown;
}

/** A webhook receiver on a real port that answers each POST with the next scripted status (200 once the script is used up). */
async function receiver(t: { teardown(fn: () => unknown): void }, statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const script = [...statuses];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      res.statusCode = script.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

/** Records warn calls; everything else is dropped. */
function recordingLogger(): LoggerService & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  const noop = () => {};
  const logger = {
    warnings,
    trace: noop,
    debug: noop,
    info: noop,
    error: noop,
    fatal: noop,
    warn: (bindings: Record<string, unknown> | string) => {
      if (typeof bindings === 'object') warnings.push(bindings);
    },
    child: () => logger,
  };
  return logger as LoggerService & { warnings: Record<string, unknown>[] };
}

const payload: WebhookPayload = { id: 'j1', capability: 'byoc/echo', state: 'completed', result: { x: 1 }, orchestrator: 'https://o' };

t.test('postWebhook POSTs the payload as JSON', async (t) => {
  const hook = await receiver(t);
  t.equal(await postWebhook(hook.url, payload), true);
  t.same(hook.received, [{ method: 'POST', contentType: 'application/json', body: payload }]);
});

t.test('postWebhook retries after a 500, then succeeds', async (t) => {
  const hook = await receiver(t, [500]);
  const logger = recordingLogger();
  t.equal(await postWebhook(hook.url, payload, 3, logger), true);
  t.equal(hook.received.length, 2);
  t.same(hook.received[1]!.body, payload, 'the retry carries the same payload');
  t.match(logger.warnings, [{ url: hook.url, status: 500, attempt: 1 }]);
});

t.test('postWebhook gives up after `tries` refusals', async (t) => {
  const hook = await receiver(t, [500, 503, 500, 500]);
  t.equal(await postWebhook(hook.url, payload, 2), false);
  t.equal(hook.received.length, 2, 'exactly `tries` POSTs');
});

t.test('postWebhook reports an unreachable receiver as false', async (t) => {
  const hook = await receiver(t);
  const logger = recordingLogger();
  // A port that was listening and no longer is.
  const closed = await new Promise<string>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(`http://127.0.0.1:${port}/hook`));
    });
  });
  t.equal(await postWebhook(closed, payload, 1, logger), false);
  t.match(logger.warnings, [{ url: closed, attempt: 1 }]);
  t.equal(hook.received.length, 0);
});

function jobContext(data: RouteJobData, attempt: number): JobContext<RouteJobData> {
  return { id: 'job-42', capabilityId: data.capabilityId, data, attempt, signal: new AbortController().signal, progress: async () => {} };
}

t.test("withWebhook posts 'completed' with the result and returns it", async (t) => {
  const hook = await receiver(t);
  const result: RouteJobResult = { output: { echoed: 'hi' }, orchestrator: 'https://o', tried: 2 };
  const wrapped = withWebhook(async () => result, 3);
  t.same(await wrapped(jobContext({ capabilityId: 'byoc/echo', input: 'hi', webhook: hook.url }, 1)), result);
  t.same(hook.received.map((r) => r.body), [{ id: 'job-42', capability: 'byoc/echo', state: 'completed', result: { echoed: 'hi' }, orchestrator: 'https://o' }]);
});

t.test('withWebhook without a webhook only runs the processor', async (t) => {
  let runs = 0;
  const wrapped = withWebhook(async () => {
    runs++;
    return { output: 1, orchestrator: 'https://o', tried: 1 };
  }, 3);
  t.same(await wrapped(jobContext({ capabilityId: 'byoc/echo', input: null }, 1)), { output: 1, orchestrator: 'https://o', tried: 1 });
  t.equal(runs, 1);
});

t.test("withWebhook posts 'failed' only on the final attempt, and rethrows every time", async (t) => {
  const hook = await receiver(t);
  const wrapped = withWebhook(async () => {
    throw new Error('no orchestrator completed it');
  }, 2);
  const data: RouteJobData = { capabilityId: 'byoc/echo', input: null, webhook: hook.url };
  await t.rejects(wrapped(jobContext(data, 1)), { message: 'no orchestrator completed it' });
  t.equal(hook.received.length, 0, 'no webhook on a non-final attempt');
  await t.rejects(wrapped(jobContext(data, 2)), { message: 'no orchestrator completed it' });
  t.same(hook.received.map((r) => r.body), [{ id: 'job-42', capability: 'byoc/echo', state: 'failed', error: 'no orchestrator completed it' }]);
});

t.test('withWebhook still returns the result when the webhook receiver refuses', async (t) => {
  const hook = await receiver(t, [500, 500, 500]);
  const logger = recordingLogger();
  const result: RouteJobResult = { output: 'ok', orchestrator: 'https://o', tried: 1 };
  // 3 tries with 0.5 s and 1 s pauses: the delivery is given up, the job is not failed for it.
  t.same(await withWebhook(async () => result, 1, logger)(jobContext({ capabilityId: 'byoc/echo', input: null, webhook: hook.url }, 1)), result);
  t.equal(hook.received.length, 3);
  t.equal(logger.warnings.length, 3);
});
