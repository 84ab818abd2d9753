// An orchestrator restarted (SIGKILL, then the same config) keeps the credit a
// gateway prepaid (ADR 0106): the gateway's next job needs no new tickets, and
// the orchestrator's /metrics shows the tickets it credited and refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startDevNetwork } from '../../src/dev/dev-network.js';
import { startNodeProcess, type NodeProcess } from '../../src/dev/node-process.js';
import { connectRedis } from '../../src/redis/connect.js';

async function echo(gateway: { url: string; apiKey: string }, text: string) {
  const response = await fetch(`${gateway.url}/v1/jobs/byoc/echo`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.apiKey}` }, body: JSON.stringify({ text }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * A job once the gateway's pool has found the restarted orchestrator again:
 * until then the gateway refuses before routing (404 unknown capability, 503 no
 * orchestrator), which pays nothing.
 */
async function echoOnceFound(gateway: { url: string; apiKey: string }, text: string) {
  for (let attempt = 0; ; attempt++) {
    const answer = await echo(gateway, text);
    if ((answer.status !== 404 && answer.status !== 503) || attempt >= 240) return answer;
    await sleep(500);
  }
}

async function restart(process: NodeProcess, dataDir: string, name: string): Promise<NodeProcess> {
  await process.kill();
  const config = JSON.parse(readFileSync(process.configFile, 'utf8')) as Record<string, unknown>;
  return startNodeProcess(name, dataDir, config, Number(new URL(process.httpUrl).port));
}

/** The value of a counter on a node's /metrics (summed over its labels), 0 when absent. */
async function metric(httpUrl: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{${labels}`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

t.test('an orchestrator restart keeps the gateway credit: the next job is paid from it, with no new tickets', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-orchestrator-restart-'));
  const network = await startDevNetwork({ orchestrators: 1, dataDir });
  t.teardown(async () => {
    await network.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const gateway = { url: network.gateway.httpUrl, apiKey: network.tenants[0]!.apiKey };
  const orchestrator = network.orchestrators[0]!;

  const first = await echo(gateway, 'paid before the restart');
  t.equal(first.status, 200, 'a first job goes through');
  const sent = await metric(gateway.url, 'lpx_gateway_tickets_sent_total');
  t.ok(sent > 0, `the gateway paid ${sent} tickets`);
  t.equal(await metric(orchestrator.process.httpUrl, 'lpx_orchestrator_tickets_credited_total'), sent, 'the orchestrator credited each of them once');
  t.equal(await metric(orchestrator.process.httpUrl, 'lpx_orchestrator_tickets_received_total'), sent);

  // The operator's restart: kill -9, then the same config (key, Redis prefix, ports).
  const restarted = await restart(orchestrator.process, dataDir, 'orchestrator-1-restarted');
  t.teardown(() => restarted.stop());

  const second = await echoOnceFound(gateway, 'paid from the carried credit');
  t.equal(second.status, 200, `the job after the restart completes: ${JSON.stringify(second.body)}`);
  t.equal(await metric(gateway.url, 'lpx_gateway_tickets_sent_total'), sent, 'the gateway sent no new tickets: its credit survived');
  t.equal(await metric(restarted.httpUrl, 'lpx_orchestrator_tickets_credited_total'), 0, 'the restarted orchestrator credited nothing new');
  t.equal(await metric(restarted.httpUrl, 'lpx_orchestrator_ticket_refusals_total'), 0, 'and refused nothing');

  // Control: a restart that loses the balances (what an in-memory store did) makes the
  // gateway pay again, so the figures above do measure kept credit.
  const config = JSON.parse(readFileSync(restarted.configFile, 'utf8')) as { redis: { prefix: string } };
  const redis = await connectRedis(network.redis.url);
  t.teardown(() => redis.quit());
  const again = await restart(restarted, dataDir, 'orchestrator-1-forgetful');
  t.teardown(() => again.stop());
  const balances = await redis.keys(`${config.redis.prefix}:credit:*:bal:*`);
  t.ok(balances.length > 0, 'the credit is in Redis under the orchestrator prefix');
  await redis.del(...balances);
  const third = await echoOnceFound(gateway, 'paid again after losing the credit');
  t.equal(third.status, 200);
  t.ok((await metric(gateway.url, 'lpx_gateway_tickets_sent_total')) > sent, 'without the kept credit the gateway pays again');
  t.ok((await metric(again.httpUrl, 'lpx_orchestrator_ticket_refusals_total', 'reason="insufficient_balance"')) >= 1, 'the refused ticketless job shows on /metrics');
  t.ok((await metric(again.httpUrl, 'lpx_orchestrator_tickets_credited_total')) > 0, 'and so do the tickets paid again');
});
