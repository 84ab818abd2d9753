// An lpx orchestrator booted from config with `orchestrator.remoteAI` serving a
// go-livepeer-style remote AI worker: the worker's model capacity becomes the
// registry's, its hardware is in OrchestratorInfo, a paid-route job for
// ai/text-to-image runs on it and returns URLs this orchestrator serves, and
// a model the operator did not list is refused with a coded error.
import t from 'tap';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { request } from 'undici';
import { getOrchestratorInfo } from '../../src/network/index.js';
import { postJob } from '../../src/network/byoc/index.js';
import { makeHost } from '../../../test/helpers/host.js';
import { GoAIWorkerDouble, renderedImage } from '../network/helpers/go-ai-worker-double.js';
import { insecureAgent, until } from '../network/helpers/remote-transcoder-node.js';

const SECRET = 'remote-ai-worker-secret';
const MODEL = 'stabilityai/sd-turbo';

t.test('a remote AI worker serves ai/text-to-image jobs for an lpx orchestrator from config', async (t) => {
  const host = makeHost(t, [], {
    node: { roles: ['orchestrator'] },
    orchestrator: { port: 0, secret: SECRET, remoteAI: { 'text-to-image': { models: [MODEL], pricePerUnit: '0' } } },
  });
  await host.start();
  const uri = host.serviceUri!;
  t.equal(host.capabilities.get('ai/text-to-image')?.capacity, 0, 'declared at boot with no capacity');

  const worker = new GoAIWorkerDouble({ orchAddr: new URL(uri).host, secret: SECRET, models: [{ pipeline: 'text-to-image', modelId: MODEL, capacity: 2 }] });
  let closed = false;
  t.teardown(() => (closed ? undefined : worker.close()));
  await until(() => host.capabilities.get('ai/text-to-image')?.capacity === 2, "the worker's capacity");
  t.equal(host.capabilities.get('ai/text-to-image')?.constraints.models?.[MODEL]?.capacity, 2, 'per model too');

  const gateway = privateKeyToAccount(generatePrivateKey());
  const info = await getOrchestratorInfo(uri, { signer: gateway });
  t.ok(info.hardware.some((h) => h.pipeline === 'text-to-image' && h.modelId === MODEL), "the worker's hardware is advertised");

  const response = await postJob({
    serviceUri: uri,
    capability: 'ai/text-to-image',
    request: '{}',
    parameters: '{}',
    body: JSON.stringify({ prompt: 'a lighthouse', model_id: MODEL }),
    contentType: 'application/json',
    timeoutMs: 10_000,
    signer: gateway,
    payment: undefined,
    requestId: 'ai-job-1',
  });
  const result = JSON.parse(response.body.toString('utf8')) as { images: { url: string; seed: number }[] };
  t.equal(result.images.length, 1);
  t.match(result.images[0]!.url, new RegExp(`^${uri}/`), 'the image URL points at this orchestrator');
  const image = await request(result.images[0]!.url, { dispatcher: insecureAgent });
  t.equal(image.statusCode, 200);
  t.same(Buffer.from(await image.body.arrayBuffer()), renderedImage(worker.jobs[0]!), 'and serves what the worker made');
  t.equal(worker.jobs[0]!.request['prompt'], 'a lighthouse');

  await t.rejects(
    postJob({
      serviceUri: uri,
      capability: 'ai/text-to-image',
      request: '{}',
      parameters: '{}',
      body: JSON.stringify({ prompt: 'x', model_id: 'not/listed' }),
      contentType: 'application/json',
      timeoutMs: 10_000,
      signer: gateway,
      payment: undefined,
      requestId: 'ai-job-2',
    }),
    { code: 'LPX_ERR_ORCHESTRATOR_JOB_REFUSED', message: /does not serve model "not\/listed"/ },
  );
  t.equal(worker.jobs.length, 1, 'the refused job never reached the worker');

  closed = true;
  await worker.close();
  await until(() => host.capabilities.get('ai/text-to-image')?.capacity === 0, 'capacity back to 0');
  t.pass('the worker leaving takes its capacity');
});
