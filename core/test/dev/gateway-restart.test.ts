// A gateway killed (SIGKILL) after it accepted a job and while the job runs
// on an orchestrator: a new gateway on the same Redis picks the route job up
// (BullMQ's stalled check), the orchestrator's request-id dedupe joins the
// first run, and the client reads the result from the new gateway — the
// work ran once. The same for a synchronous request the gateway ran without
// the queue (ADR 0067): the successor sweeps the dead gateway's inline
// ledger into the queue and the job completes, once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import t from 'tap';
import { startDevNetwork } from '../../src/dev/dev-network.js';
import { startNodeProcess } from '../../src/dev/node-process.js';
import { connectRedis } from '../../src/redis/connect.js';

t.test('a gateway killed mid-job loses nothing: its successor finishes the job, which runs once', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-gateway-restart-'));
  const network = await startDevNetwork({ orchestrators: 1, dataDir });
  t.teardown(async () => {
    await network.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const first = network.gateway.httpUrl;

  const authorization = `Bearer ${network.tenants[0]!.apiKey}`;
  const accepted = await fetch(`${first}/v1/jobs/byoc/echo?async=true`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ text: 'outlive the gateway', delayMs: 4_000 }) });
  t.equal(accepted.status, 202, 'the job is accepted');
  const { id, status } = (await accepted.json()) as { id: string; status: string };

  const redis = await connectRedis(network.redis.url);
  const work = new Queue('cap.byoc.echo.v1', { connection: redis, prefix: '{lpx-o1}' });
  t.teardown(async () => {
    await work.close();
    await redis.quit();
  });
  let active = false;
  for (let i = 0; i < 200 && !active; i++) {
    active = (await work.getActiveCount()) > 0;
    if (!active) await sleep(50);
  }
  t.ok(active, 'the job is running on the orchestrator');
  await network.gateway.process.kill();

  // Same config (key, Redis prefix, port): the operator's restart.
  const config = JSON.parse(readFileSync(join(dataDir, 'gateway.json'), 'utf8')) as Record<string, unknown>;
  const port = Number(new URL(first).port);
  const successor = await startNodeProcess('gateway-restarted', dataDir, config, port);
  t.teardown(() => successor.stop());

  let state: { state?: string; result?: { output?: { text?: string }; orchestrator?: string } } = {};
  for (let i = 0; i < 300 && state.state !== 'completed' && state.state !== 'failed'; i++) {
    await sleep(100);
    const response = await fetch(`${successor.httpUrl}${status}`, { headers: { authorization } });
    if (response.ok) state = (await response.json()) as typeof state;
  }
  t.equal(state.state, 'completed', `job ${id} completed through the new gateway`);
  t.equal(state.result?.output?.text, 'outlive the gateway');
  t.equal(state.result?.orchestrator, network.orchestrators[0]!.serviceUri);

  const completed = await work.getCompleted();
  t.equal(completed.filter((job) => (job.data as { text?: string }).text === 'outlive the gateway').length, 1, 'the orchestrator ran it once');

  // A synchronous request runs inline in the gateway that took it: only its ledger knows of it.
  const text = 'outlive the gateway, synchronously';
  const caller = fetch(`${successor.httpUrl}/v1/jobs/byoc/echo`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ text, delayMs: 4_000 }) });
  const hungUp = caller.then(() => 'answered', () => 'connection lost');
  let ledger: string[] = [];
  for (let i = 0; i < 200 && ledger.length === 0; i++) {
    const running = (await work.getActive()).some((job) => (job.data as { text?: string }).text === text);
    ledger = running ? await redis.keys('{lpx-g}:route:inline:*') : [];
    if (ledger.length === 0) await sleep(50);
  }
  t.equal(ledger.length, 1, 'the job runs on the orchestrator, in the gateway’s inline ledger');
  const [syncId] = await redis.hkeys(ledger[0]!);
  const routes = new Queue('cap.byoc.echo.v1', { connection: redis, prefix: '{lpx-g}:route' });
  t.equal(await routes.getJob(syncId!), undefined, 'not a route job');
  await routes.close();
  await successor.kill();
  t.equal(await hungUp, 'connection lost', 'its caller lost the connection with the gateway');
  const third = await startNodeProcess('gateway-restarted-again', dataDir, config, port);
  t.teardown(() => third.stop());
  let swept: typeof state = {};
  for (let i = 0; i < 300 && swept.state !== 'completed' && swept.state !== 'failed'; i++) {
    await sleep(100);
    const response = await fetch(`${third.httpUrl}/v1/jobs/byoc/echo/${syncId}`, { headers: { authorization } });
    if (response.ok) swept = (await response.json()) as typeof state;
  }
  t.equal(swept.state, 'completed', `the swept job ${syncId} completed through the next gateway`);
  t.equal(swept.result?.output?.text, text);
  t.equal((await work.getCompleted()).filter((job) => (job.data as { text?: string }).text === text).length, 1, 'the orchestrator ran it once');
  t.same(await redis.keys('{lpx-g}:route:inline:*'), [], 'no ledger is left');
});
