import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';

const LPX = join(import.meta.dirname, '../../core/bin/lpx.mjs');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

t.test('lpx dev up --tenants 2 --json: one JSON object per line, a line per tenant, a gateway their keys work on, SIGTERM stops every process', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-devup-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [LPX, 'dev', 'up', '--json', '--orchestrators', '1', '--tenants', '2', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  const events: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    events.push(JSON.parse(line) as Record<string, unknown>);
    if (events.at(-1)!.ready === true) break;
  }
  const redis = events.find((e) => e.service === 'redis');
  const chain = events.find((e) => e.service === 'chain');
  const orchestrators = events.filter((e) => e.role === 'orchestrator');
  const gateway = events.find((e) => e.role === 'gateway');
  const tenants = events.filter((e) => 'tenant' in e) as { tenant: string; apiKey: string }[];
  t.match(redis, { url: /^redis:\/\/127\.0\.0\.1:\d+$/ });
  t.match(chain, { rpcUrl: /^http:\/\/127\.0\.0\.1:\d+$/, controller: /^0x[0-9a-fA-F]{40}$/ });
  t.equal(orchestrators.length, 1);
  t.match(orchestrators[0], { serviceUri: /^https:\/\/127\.0\.0\.1:\d+$/, address: /^0x[0-9a-fA-F]{40}$/ });
  t.match(gateway, { httpUrl: /^http:\/\/127\.0\.0\.1:\d+$/ });
  t.same(events.at(-1), { ready: true }, 'ready comes last');
  t.equal(tenants.length, 2, 'one line per tenant');
  for (const line of tenants) {
    t.same(Object.keys(line), ['tenant', 'apiKey'], 'exactly {"tenant", "apiKey"}');
    t.match(line, { tenant: /^tenant-\d$/, apiKey: /^lpx_[A-Za-z0-9_-]{43}$/ });
  }
  t.not(tenants[0]!.apiKey, tenants[1]!.apiKey);

  // Progress on stderr (stdout stays the JSON lines): every start-up step in order, with elapsed seconds.
  // Written before the ready line, but the two pipes are read independently.
  for (let i = 0; i < 100 && !stderr.includes('] gateway ready'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  const steps = [...stderr.matchAll(/^\[ *(\d+\.\d) s\] (.+?)(?:  |$)/gm)].map((m) => ({ seconds: Number(m[1]), step: m[2] }));
  t.same(
    steps.map((p) => p.step),
    ['redis', 'chain', 'contracts', 'accounts', 'orchestrator 1 registered', 'orchestrator 1 ready', 'gateway ready'],
    'each step reported once, in order',
  );
  t.same(steps.map((p) => p.seconds), steps.map((p) => p.seconds).sort((a, b) => a - b), 'elapsed time never goes back');

  const url = `${gateway!.httpUrl as string}/v1/jobs/byoc/echo`;
  const post = (key: string | undefined, query = '') =>
    fetch(`${url}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify({ text: 'dev up' }) });
  const response = await post(tenants[0]!.apiKey);
  t.equal(response.status, 200);
  t.match(await response.json(), { text: 'dev up' });
  t.equal(response.headers.get('lpx-orchestrator'), orchestrators[0]!.serviceUri, 'served by the local orchestrator');

  const anonymous = await post(undefined);
  t.equal(anonymous.status, 401, 'no key: refused');
  t.match(await anonymous.json(), { code: 'LPX_ERR_GATEWAY_API_KEY_REQUIRED' });
  const accepted = await post(tenants[1]!.apiKey, '?async=true');
  t.equal(accepted.status, 202, "the second tenant's key works too");
  const { status } = (await accepted.json()) as { status: string };
  const foreign = await fetch(`${gateway!.httpUrl as string}${status}`, { headers: { authorization: `Bearer ${tenants[0]!.apiKey}` } });
  t.equal(foreign.status, 404, "one tenant cannot read another's job");

  const pids = [orchestrators[0]!.pid, gateway!.pid] as number[];
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'dev up exits cleanly');
  t.same(pids.filter(alive), [], 'no node process is left running');
});

t.test('lpx dev up killed with SIGKILL: the processes it started stop on their own', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-devup-kill-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [LPX, 'dev', 'up', '--json', '--orchestrators', '1', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const events: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    events.push(JSON.parse(line) as Record<string, unknown>);
    if (events.at(-1)!.ready === true) break;
  }
  const pids = events.filter((e) => typeof e.pid === 'number').map((e) => e.pid as number);
  t.equal(pids.length, 2, 'an orchestrator and a gateway');
  t.teardown(() => {
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  });
  child.kill('SIGKILL');
  await exited;
  let left = pids;
  for (let i = 0; i < 150 && left.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = pids.filter(alive);
  }
  t.same(left, [], 'the orphaned nodes were stopped by the watcher');
});
