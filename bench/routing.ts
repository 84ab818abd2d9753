/**
 * Routing overhead: an echo job through the local network (client → gateway
 * route job on BullMQ → orchestrator over TLS with a paid BYOC request →
 * worker job on BullMQ → back) versus the same job submitted straight to the
 * orchestrator's worker queue, same run, same processes. Prints added latency
 * (p50/p99) at concurrency 1 and the throughput ratio at concurrency 8.
 *
 *   node --import tsx bench/routing.ts [jobs]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevNetwork } from '../core/src/dev/dev-network.js';
import { JobsKernel } from '../core/src/jobs/index.js';
import { measureConcurrent as measure, quantile } from './rate.js';
import { runNodesCompiled } from './compiled-nodes.js';

runNodesCompiled();

const jobs = Number(process.argv[2] ?? 300);

const dataDir = mkdtempSync(join(tmpdir(), 'lpx-bench-routing-'));
const network = await startDevNetwork({ orchestrators: 1, dataDir });
const direct = await JobsKernel.connect(network.redis.url, { prefix: '{lpx-o1}' });
try {
  const viaGateway = async (i: number): Promise<void> => {
    const response = await fetch(`${network.gateway.httpUrl}/v1/jobs/byoc/echo`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${network.tenants[0]!.apiKey}` }, body: JSON.stringify({ text: `r${i}` }) });
    if (response.status !== 200) throw new Error(`gateway answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  const straight = async (i: number): Promise<void> => {
    await direct.submitAndWait('byoc/echo', { text: `d${i}` }, { timeoutMs: 30_000 });
  };
  await measure(20, 4, viaGateway); // warm: discovery, first payment
  await measure(20, 4, straight);

  const g1 = await measure(jobs, 1, viaGateway);
  const d1 = await measure(jobs, 1, straight);
  const g8 = await measure(jobs, 8, viaGateway);
  const d8 = await measure(jobs, 8, straight);
  const ms = (n: number): string => n.toFixed(1);
  console.log(`routing overhead, ${jobs} echo jobs, 1 orchestrator with its worker, separate processes`);
  console.log(`c=1 p50: gateway ${ms(quantile(g1.latencies, 0.5))} ms vs direct ${ms(quantile(d1.latencies, 0.5))} ms → +${ms(quantile(g1.latencies, 0.5) - quantile(d1.latencies, 0.5))} ms`);
  console.log(`c=1 p99: gateway ${ms(quantile(g1.latencies, 0.99))} ms vs direct ${ms(quantile(d1.latencies, 0.99))} ms → +${ms(quantile(g1.latencies, 0.99) - quantile(d1.latencies, 0.99))} ms`);
  console.log(`c=8 throughput: gateway ${g8.perSecond.toFixed(0)} jobs/s vs direct ${d8.perSecond.toFixed(0)} jobs/s → ratio ${(g8.perSecond / d8.perSecond).toFixed(2)}`);
} finally {
  await direct.close();
  await network.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
