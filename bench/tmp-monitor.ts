import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Pool } from 'undici';
import { Redis } from 'ioredis';
import { privateKeyToAccount } from 'viem/accounts';
import { startDevNetwork } from '../core/src/dev/dev-network.js';
import type { PoolEntry } from '../core/src/gateway/pool/pool-options.js';
import { encodeJobRequestHeader } from '../core/src/network/byoc/index.js';
import { createChainPaymentSources } from '../core/src/payments-chain/create-sources.js';
import { createJobSender } from '../core/src/roles/gateway/job-sender.js';
import { measureConcurrent as measure } from './rate.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lpx-mon-'));
const TICKET_EV = 2n * 10n ** 17n;
const network = await startDevNetwork({ orchestrators: 1, dataDir, echoCapacity: 16, tenantBudgetWei: 10n ** 24n, tickets: { ev: TICKET_EV, senderFundsWei: 1_000n * 10n ** 18n } });
const chainSources = await createChainPaymentSources({ rpcUrl: network.chain.rpcUrl, controller: network.chain.controller });
const senderKey = network.chain.accounts.find((a) => a.role === 'sender')!.privateKey as `0x${string}`;
const direct = createJobSender({ account: privateKeyToAccount(senderKey), chain: chainSources, requestTimeoutMs: 15_000, limits: { maxEV: 2n * TICKET_EV, maxTotalEV: 200n * TICKET_EV }, logger: pino({ level: 'silent' }) });
const auth = `Bearer ${network.tenants[0]!.apiKey}`;
const client = new Pool(network.gateway.httpUrl, { connections: 64 });
const first = { uri: network.orchestrators[0]!.serviceUri } as PoolEntry;
const viaGateway = async (i: number) => {
  const header = encodeJobRequestHeader({ id: '', request: '{}', parameters: JSON.stringify({ orchestrators: { include: [first.uri] } }), capability: 'echo', timeout_seconds: 30, sender: '', sig: '' });
  const response = await client.request({ path: '/process/request/', method: 'POST', headers: { 'content-type': 'application/json', authorization: auth, livepeer: header }, body: JSON.stringify({ text: `w${i}` }) });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`gateway answered ${response.statusCode}: ${text}`);
};
const straight = async (i: number) => {
  await direct.send(first, { capabilityId: 'byoc/echo', input: { text: `d${i}` }, requestId: randomUUID(), signal: AbortSignal.timeout(30_000) });
};
for (let tries = 0; ; tries++) {
  const ok = await viaGateway(0).then(() => true, () => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 1000));
}
await measure(32, 16, viaGateway);
await measure(32, 16, straight);
const admin = new Redis(network.redis.url);
const mode = process.argv[2] ?? 'gateway';
const n = Number(process.argv[3] ?? 200);
const clients = await admin.client('LIST') as string;
const opens = () => { const lines = require('node:fs').readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l: string) => l.startsWith('Tcp:')); const h = lines[0].split(' '); const v = lines[1].split(' '); return Number(v[h.indexOf('ActiveOpens')]); };
const opens0 = opens();
const mon = process.env['NOMON'] ? { on() {}, disconnect() {} } as any : await new Redis(network.redis.url).monitor();
const counts = new Map<string, number>();
const timeline: string[] = [];
mon.on('monitor', (time: string, args: string[], source: string) => {
  if (process.env['TIMELINE']) timeline.push(`${time} ${source} ${args.slice(0, 3).join(' ').slice(0, 120)}`);
  const key = `${source.split(':').slice(0, 2).join(':')} ${args[0]} ${args[0]?.toLowerCase() === 'evalsha' ? '' : ''}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
});
const conc = Number(process.env['CONC'] ?? 16);
const stamps: number[] = [];
await measure(n, conc, async (i) => { stamps.push(Date.now() / 1000); await (mode === 'gateway' ? viaGateway : straight)(i); stamps.push(Date.now() / 1000); });
await new Promise((r) => setTimeout(r, 200));
mon.disconnect();
console.log('tcp active opens per job', (opens() - opens0) / n);
const names = new Map<string, string>();
for (const line of (await admin.client('LIST') as string).split('\n')) {
  const addr = /addr=(\S+)/.exec(line)?.[1]; const name = /name=(\S*)/.exec(line)?.[1];
  if (addr) names.set(addr, name ?? '');
}
if (process.env['TIMELINE']) {
  const from = stamps[stamps.length - 2]!; const to = stamps[stamps.length - 1]!;
  console.log('last job', ((to - from) * 1000).toFixed(1), 'ms');
  for (const line of timeline) { const t = Number(line.split(' ')[0]); if (t >= from - 0.001 && t <= to + 0.001) { const src = line.split(' ')[1]!; console.log(((t - from) * 1000).toFixed(2).padStart(7), (names.get(src) ?? src).slice(0, 40).padEnd(40), line.split(' ').slice(2).join(' ')); } }
}
const rows = [...counts].map(([k, v]) => { const [src, cmd] = k.split(' '); return [names.get(src!.replace(/^[^:]*$/, '')) ?? src, src, cmd, (v / n).toFixed(2)] as const; });
rows.sort((a, b) => Number(b[3]) - Number(a[3]));
for (const r of rows) console.log(r.join('\t'));
console.log('pids', network.gateway.process.pid, network.orchestrators[0]!.process.pid);
void clients;
direct.close(); await client.close(); await chainSources.close(); admin.disconnect(); await network.stop(); process.exit(0);
