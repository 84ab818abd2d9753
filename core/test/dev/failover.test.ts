import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import t from 'tap';
import { startDevNetwork } from '../../src/dev/dev-network.js';
import { connectRedis } from '../../src/redis/connect.js';

async function echo(gateway: { url: string; apiKey: string }, body: Record<string, unknown>) {
  const response = await fetch(`${gateway.url}/v1/jobs/byoc/echo`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.apiKey}` }, body: JSON.stringify(body) });
  return { status: response.status, orchestrator: response.headers.get('lpx-orchestrator'), body: (await response.json()) as Record<string, unknown> };
}

t.test('an orchestrator killed (SIGKILL) mid-job: the gateway fails over and the job completes once', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-failover-'));
  const network = await startDevNetwork({ orchestrators: 2, dataDir });
  t.teardown(async () => {
    await network.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const gateway = { url: network.gateway.httpUrl, apiKey: network.tenants[0]!.apiKey };

  const warm = await echo(gateway, { text: 'warm' });
  t.equal(warm.status, 200, 'a first job goes through');

  const redis = await connectRedis(network.redis.url);
  const queues = network.orchestrators.map((_, i) => new Queue('cap.byoc.echo.v1', { connection: redis, prefix: `{lpx-o${i + 1}}` }));
  t.teardown(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await redis.quit();
  });

  const pending = echo(gateway, { text: 'survive', delayMs: 5_000 });
  let victim = -1;
  for (let i = 0; i < 200 && victim < 0; i++) {
    const active = await Promise.all(queues.map((q) => q.getActiveCount()));
    victim = active.findIndex((n) => n > 0);
    if (victim < 0) await sleep(50);
  }
  t.ok(victim >= 0, 'the slow job became active on one orchestrator');
  const dead = network.orchestrators[victim]!;
  await dead.process.kill();

  const result = await pending;
  t.equal(result.status, 200, 'the client still gets its result');
  t.equal(result.body.text, 'survive');
  t.not(result.orchestrator, dead.serviceUri, 'another orchestrator did the work');
  t.ok(network.orchestrators.some((o) => o.serviceUri === result.orchestrator), 'and it is one of the network');

  const survivor = queues[1 - victim]!;
  const completed = await survivor.getCompleted();
  t.equal(completed.filter((job) => (job.data as { text?: string }).text === 'survive').length, 1, 'the surviving orchestrator ran the job exactly once');

  const after = await echo(gateway, { text: 'after' });
  t.equal(after.status, 200, 'later jobs avoid the dead orchestrator');
  t.equal(after.orchestrator, network.orchestrators[1 - victim]!.serviceUri);
});
