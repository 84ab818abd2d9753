// coreServices.gateway's service over a real route queue (JobsKernel on a
// test Redis) and the real segment router: bad requests refused before
// anything is queued, the router's coded failure handed back to the caller
// (BullMQ alone would keep only its text), a caller that goes away answered
// at once and the queued job then cancelled without touching an orchestrator.
import t, { type Test } from 'tap';
import { errors, presetProfile, type SegmentTranscodeRequest } from '@lpx/sdk';
import { TRANSCODE_CAPABILITY_ID } from '../../src/capabilities/index.js';
import { JobsKernel } from '../../src/jobs/index.js';
import { segmentRouterProcessor } from '../../src/roles/gateway/segment-router.js';
import { createSegmentService } from '../../src/roles/gateway/segment-service.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { diskStore } from '../blobs/blob-fixtures.js';
import { memoryChain, startGateway, startOrchestrator } from './segment-fixture.js';

const redis = await testRedis(t);

async function routes(t: Test) {
  // As the gateway role builds it: segment bytes go through the blob store's codec, not BullMQ's JSON.
  const kernel = new JobsKernel({ connection: await redis.connect(), prefix: uniquePrefix('seg-service'), blobs: { store: await diskStore(t), inlineMaxBytes: 1_024 } });
  t.teardown(() => kernel.close());
  return kernel;
}

const P240 = presetProfile('P240p30fps16x9')!;
const request = (over: Partial<SegmentTranscodeRequest> = {}): SegmentTranscodeRequest => ({ streamId: 's', seq: 0, data: new Uint8Array([1, 2, 3]), format: 'mpegts', durationMs: 1_000, profiles: [P240], ...over });

t.test('bad requests are refused with their codes before anything is queued', async (t) => {
  const kernel = await routes(t);
  let routed = 0;
  const chain = memoryChain();
  const gw = await startGateway(t, chain, []);
  const service = createSegmentService({ routes: kernel, ensureRouter: () => void routed++, sessions: gw.sessions, endSession: async () => undefined, failures: new Map(), cancels: new Map(), waitMsFor: () => 5_000 });
  const cases: [Partial<SegmentTranscodeRequest>, string][] = [
    [{ data: new Uint8Array(0) }, errors.transcode.INPUT_INVALID.code],
    [{ durationMs: -1 }, errors.transcode.INPUT_INVALID.code],
    [{ durationMs: 301_000 }, errors.transcode.INPUT_INVALID.code],
    [{ profiles: [] }, errors.transcode.PROFILE_INVALID.code],
    [{ profiles: [P240, P240] }, errors.transcode.PROFILE_INVALID.code],
    [{ profiles: [{ ...P240, width: 0 }] }, errors.transcode.PROFILE_INVALID.code],
    [{ profiles: [{ ...P240, height: 1.5 }] }, errors.transcode.PROFILE_INVALID.code],
    [{ profiles: [{ ...P240, fps: -30 }] }, errors.transcode.PROFILE_INVALID.code],
    [{ seq: -1 }, errors.http.BAD_REQUEST.code],
    [{ streamId: '' }, errors.http.BAD_REQUEST.code],
  ];
  for (const [over, code] of cases) await t.rejects(service.transcodeSegment(request(over)), { code }, JSON.stringify(over, (_k, v: unknown) => (v instanceof Uint8Array ? `${v.length} bytes` : v)));
  t.equal(routed, 0, 'no router was even started');
  t.equal(await kernel.queueFor(TRANSCODE_CAPABILITY_ID).count(), 0, 'nothing queued');
});

t.test('the router’s coded failure reaches the caller through the queue', async (t) => {
  const kernel = await routes(t);
  const chain = memoryChain();
  const gw = await startGateway(t, chain, []);
  const failures = new Map<string, unknown>();
  const cancels = new Map<string, AbortController>();
  kernel.registerProcessor(TRANSCODE_CAPABILITY_ID, segmentRouterProcessor({ ...gw.deps, failures, cancels }));
  kernel.start();
  const service = createSegmentService({ routes: kernel, ensureRouter: () => undefined, sessions: gw.sessions, endSession: async () => undefined, failures, cancels, waitMsFor: () => 20_000 });
  await t.rejects(service.transcodeSegment(request()), { code: errors.gateway.NO_ORCHESTRATORS.code }, 'not LPX_ERR_JOBS_FAILED with a text');
  t.equal(failures.size, 0, 'and the kept failure is gone once read');
});

t.test('a caller that goes away: answered at once; the queued job is cancelled before any orchestrator sees it', async (t) => {
  const kernel = await routes(t);
  const chain = memoryChain();
  const o1 = await startOrchestrator(t, chain);
  const gw = await startGateway(t, chain, [o1]);
  const failures = new Map<string, unknown>();
  const cancels = new Map<string, AbortController>();
  const service = createSegmentService({ routes: kernel, ensureRouter: () => undefined, sessions: gw.sessions, endSession: async () => undefined, failures, cancels, waitMsFor: () => 20_000 });
  const controller = new AbortController();
  // No router yet: the job waits in the queue.
  const pending = service.transcodeSegment(request({ signal: controller.signal }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.abort();
  await t.rejects(pending, { code: errors.transcode.CANCELLED.code });
  const outcome = new Promise<string>((resolve) => kernel.onEvent(TRANSCODE_CAPABILITY_ID, (e) => void (e.type === 'failed' && resolve(e.reason))));
  kernel.registerProcessor(TRANSCODE_CAPABILITY_ID, segmentRouterProcessor({ ...gw.deps, failures, cancels }));
  kernel.start();
  t.match(await outcome, /cancelled/, 'the router found it cancelled');
  t.equal(o1.calls.length, 0, 'no orchestrator was sent or paid anything');
});
