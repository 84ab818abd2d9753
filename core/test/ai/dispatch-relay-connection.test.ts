// The orchestrator opens one Redis connection per streaming request for its blocking reads of the
// worker's relay stream. Every way out of that request closes it: a runner that answers JSON to a
// streaming request used to leave it open (and retrying forever once Redis went away).
import t from 'tap';
import pino from 'pino';
import type { Redis } from 'ioredis';
import type { BlobStore } from '../../src/blobs/index.js';
import { aiDispatcher } from '../../src/ai/ai-dispatch.js';
import type { AIJobData, AIJobResult } from '../../src/ai/ai-job.js';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);

t.test('a JSON answer to a streaming request closes the relay reader’s connection', async (t) => {
  const prefix = uniquePrefix('relay-conn');
  const jobs = new JobsKernel({ connection: await redis.connect(), prefix });
  t.teardown(() => jobs.close());
  // The worker's side, reduced to its answer: the runner replied JSON although a stream was asked for.
  jobs.registerProcessor<AIJobData, AIJobResult>('ai/llm', async () => ({ kind: 'json', json: { choices: [] }, files: [], executor: 'runner-a' }));
  jobs.start();
  const opened: Redis[] = [];
  const ended: Promise<unknown>[] = [];
  const run = aiDispatcher({
    jobs,
    // A JSON body never reaches the blob store.
    store: undefined as unknown as BlobStore,
    prefix,
    timeoutMs: 10_000,
    ownerOf: (capabilityId, jobId) => `${capabilityId}:${jobId}`,
    blockingConnection: async () => {
      const connection = await redis.connect();
      opened.push(connection);
      ended.push(new Promise((resolve) => connection.once('end', resolve)));
      return connection;
    },
    cancel: () => undefined,
    logger: pino({ level: 'silent' }),
  });
  const outcome = await run({
    requestId: 'req-json-to-stream',
    request: { pipeline: 'llm', modelId: 'm', body: { kind: 'json', json: { stream: true } }, stream: true, measures: { maxTokens: 8 } },
    signal: new AbortController().signal,
  });
  t.match(outcome, { kind: 'json', json: { choices: [] }, executor: 'runner-a' });
  t.equal(opened.length, 1, 'one reader connection for the streaming request');
  // Asked to close by the time the answer is returned; its socket then ends.
  t.ok((opened[0] as unknown as { manuallyClosing: boolean }).manuallyClosing, 'the reader’s connection is being closed');
  await ended[0];
  t.equal(opened[0]!.status, 'end');
});
