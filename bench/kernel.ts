// Boot-to-ready with 20 trivial plugins, and idle RSS after boot.
// Baseline in the same run: a bare fastify + redis-server boot with no plugin kernel.
// Run: node --import tsx bench/kernel.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastify } from 'fastify';
import { coreServices, definePlugin, HOST_API_VERSION } from '@lpx/sdk';
import { Host } from '../core/src/boot/host.js';
import { loadConfig } from '../core/src/config/load-config.js';
import { startEmbeddedRedis } from '../core/src/redis/index.js';

function trivialPlugins(count: number) {
  return Array.from({ length: count }, (_, i) =>
    definePlugin({
      manifest: { id: `trivial-${i}`, version: '1.0.0', host: `^${HOST_API_VERSION}`, requires: { services: ['core.logger', 'core.http'] } },
      register(reg) {
        reg.registerInit({
          deps: { logger: coreServices.logger, http: coreServices.http },
          init: ({ http }) => http.route({ method: 'GET', url: '/ping', handler: async () => 'pong' }),
        });
      },
    }),
  );
}

async function bootLpx(plugins: number): Promise<{ ms: number; host: Host; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-bench-boot-'));
  const t0 = performance.now();
  const host = new Host({ config: loadConfig({ raw: { node: { dataDir: dir, roles: ['worker'] }, http: { port: 0 }, log: { level: 'silent' } }, env: {} }), plugins: trivialPlugins(plugins) });
  await host.start();
  return { ms: performance.now() - t0, host, dir };
}

async function bootBaseline(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-bench-base-'));
  const t0 = performance.now();
  const redis = await startEmbeddedRedis({ dataDir: dir });
  const app = fastify();
  app.get('/ping', async () => 'pong');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const ms = performance.now() - t0;
  await app.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

export async function runKernelBench(): Promise<void> {
  const runs = 5;
  const lpx: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(await bootBaseline());
    const { ms, host, dir } = await bootLpx(20);
    lpx.push(ms);
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`boot to ready, 20 trivial plugins (embedded redis): median ${median(lpx).toFixed(0)} ms over ${runs} runs`);
  console.log(`baseline (redis-server + bare fastify listen):       median ${median(base).toFixed(0)} ms`);
  console.log(`ratio lpx/baseline boot time: ${(median(lpx) / median(base)).toFixed(2)}x`);

  const rss = await idleRssOfFreshNode();
  console.log(`idle RSS of a fresh \`lpx start\` (minimal config, 1 plugin): ${rss.lpx.toFixed(1)} MiB; bare node+fastify process: ${rss.baseline.toFixed(1)} MiB (redis-server not included)`);
}

/** Reads VmRSS of a freshly started process once it reports ready. */
async function idleRssOfFreshNode(): Promise<{ lpx: number; baseline: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-bench-rss-'));
  const lpxBin = new URL('../core/bin/lpx.mjs', import.meta.url).pathname;
  const configFile = new URL('../examples/configs/minimal.yaml', import.meta.url).pathname;
  // As the installed binary runs (its shebang): the compiled mirror (ADR 0063).
  const lpx = await rssOf(process.execPath, ['--conditions=lpx-js', lpxBin, 'start', '--config', configFile, '--set', 'http.port=0', '--set', `node.dataDir=${dir}`, '--set', 'log.level=warn'], /lpx ready/);
  const bare = "const f=require('fastify')();f.get('/',async()=>'x');f.listen({port:0}).then(()=>console.error('ready'))";
  const baseline = await rssOf(process.execPath, ['-e', bare], /ready/, new URL('../core/', import.meta.url).pathname);
  rmSync(dir, { recursive: true, force: true });
  return { lpx, baseline };
}

async function rssOf(command: string, args: string[], readyLine: RegExp, cwd?: string): Promise<number> {
  const { spawn } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(cwd ? { cwd } : {}) });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (readyLine.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
  await new Promise((r) => setTimeout(r, 1500));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return kib / 1024;
}

if (import.meta.url === `file://${process.argv[1]}`) await runKernelBench();
