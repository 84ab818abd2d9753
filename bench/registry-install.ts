/**
 * Install time of a plugin from an HTTP registry (`lpx registry serve` on
 * loopback: mirror over HTTP with integrity checks, then verify and extract
 * from the mirror) against two baselines measured in the same run on the same
 * release: installing it from a local registry folder (the same verify and
 * extract, no HTTP), and a plain copy of the release files (no checks at all).
 * Prints medians and ratios; no thresholds.
 *
 * Parameters (env): BENCH_RUNS (default 15), BENCH_FILES and BENCH_FILE_KB
 * (size of the generated plugin: extra incompressible files, default 20 × 64
 * KiB), or BENCH_PLUGIN_DIR to bench a real plugin folder (a signed one with
 * npm dependencies, once the registry does those).
 * Run: node --import tsx bench/registry-install.ts
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_API_VERSION } from '@lpx/sdk';
import { mirrorForNode, packPluginFolder, publishToHttpRegistry, resolvePluginsForNode, serveRegistry } from '@lpx/registry';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);
const FILES = Number(process.env['BENCH_FILES'] ?? 20);
const FILE_KB = Number(process.env['BENCH_FILE_KB'] ?? 64);
const TOKEN = 'bench-token';

async function generatedPlugin(dir: string): Promise<string> {
  const manifest = { id: 'bench-plugin', version: '1.0.0', host: `^${HOST_API_VERSION}`, description: 'registry install bench' };
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: '@bench/plugin', version: '1.0.0', type: 'module', exports: './index.mjs' }));
  await writeFile(join(dir, 'plugin.manifest.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'index.mjs'), `import { definePlugin } from '@lpx/sdk';\nexport default definePlugin({ manifest: ${JSON.stringify(manifest)}, register() {} });\n`);
  for (let i = 0; i < FILES; i++) await writeFile(join(dir, 'assets', `blob-${i}.bin`), randomBytes(FILE_KB * 1024));
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ms of `fn` over RUNS runs (after one warm-up), each given a fresh scratch folder. */
async function timed(scratch: string, fn: (dir: string) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let run = -1; run < RUNS; run++) {
    const dir = join(scratch, `run-${Math.random().toString(36).slice(2)}`);
    await mkdir(dir, { recursive: true });
    const start = performance.now();
    await fn(dir);
    if (run >= 0) samples.push(performance.now() - start);
    await rm(dir, { recursive: true, force: true });
  }
  return median(samples);
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'lpx-bench-registry-'));
  try {
    const pluginDir = process.env['BENCH_PLUGIN_DIR'] ?? (await generatedPlugin(join(work, 'plugin')));
    const packed = await packPluginFolder(pluginDir);
    const { id, version } = packed.manifest;
    const request = [{ id, version }];
    const root = join(work, 'registry');
    const served = await serveRegistry({ root, publishTokens: [TOKEN], port: 0 });
    try {
      await publishToHttpRegistry(served.url, packed, { token: TOKEN });
      const scratch = join(work, 'scratch');
      const local = await timed(scratch, (dir) => resolvePluginsForNode(root, request, join(dir, 'installed')));
      const copy = await timed(scratch, (dir) => cp(join(root, id, version), join(dir, 'copy'), { recursive: true }));
      const http = await timed(scratch, async (dir) => {
        await mirrorForNode(served.url, request, join(dir, 'mirror'));
        await resolvePluginsForNode(join(dir, 'mirror'), request, join(dir, 'installed'));
      });
      const fmt = (ms: number) => `${ms.toFixed(2)} ms`.padStart(11);
      console.log(`registry install bench: ${id}@${version}, package.tgz ${(packed.tgz.length / 1024).toFixed(0)} KiB, median of ${RUNS} runs, node ${process.version}`);
      console.log(`  copy release files (no checks, baseline)          ${fmt(copy)}`);
      console.log(`  install from a local registry folder              ${fmt(local)} ${(local / copy).toFixed(2)}× of copy`);
      console.log(`  install from an HTTP registry (mirror + install)  ${fmt(http)} ${(http / copy).toFixed(2)}× of copy, ${(http / local).toFixed(2)}× of local install`);
    } finally {
      await served.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
