/**
 * Registry install time of one plugin, against an unsigned install of the same
 * plugin measured in the same run (the ADR 0005 baseline: integrity check +
 * extraction):
 *   1. signed + approved, under a trust policy (signature and review checks);
 *   2. the same with one npm dependency from its package-lock (`npm ci`,
 *      which talks to the npm registry: network time dominates).
 * Prints ms per install; no thresholds. Run: node --import tsx bench/registry-trust-install.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_API_VERSION } from '@lpx/sdk';
import { generateKey, publishToLocalRegistry, resolvePluginsForNode, reviewRelease, signRelease, type TrustPolicy } from '@lpx/registry';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const DEP_RUNS = Number(process.env['BENCH_DEP_RUNS'] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'lpx-bench-registry-'));
const key = generateKey('ed25519');

async function publish(id: string, withDependency: boolean, signed = true): Promise<string> {
  const folder = join(work, 'src', id);
  await mkdir(folder, { recursive: true });
  const manifest = { id, version: '1.0.0', host: `^${HOST_API_VERSION}`, description: 'bench plugin' };
  const dependencies = withDependency ? { dependencies: { ms: '2.1.3' }, peerDependencies: { '@lpx/sdk': '*' } } : {};
  await writeFile(join(folder, 'package.json'), JSON.stringify({ name: `@bench/${id}`, version: '1.0.0', type: 'module', exports: './index.mjs', ...dependencies }));
  await writeFile(join(folder, 'plugin.manifest.json'), JSON.stringify(manifest));
  await writeFile(join(folder, 'index.mjs'), "export default {};\n");
  if (withDependency) {
    await writeFile(join(folder, 'package-lock.json'), JSON.stringify({
      name: `@bench/${id}`, version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: {
        '': { name: `@bench/${id}`, version: '1.0.0', dependencies: { ms: '2.1.3' }, peerDependencies: { '@lpx/sdk': '*' } },
        'node_modules/ms': { version: '2.1.3', resolved: 'https://registry.npmjs.org/ms/-/ms-2.1.3.tgz', integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==' },
      },
    }));
  }
  const { entry } = await publishToLocalRegistry(join(work, 'registry'), folder);
  if (signed) {
    await signRelease(entry, key);
    await reviewRelease(entry, 'approved', key);
  }
  return id;
}

async function msPerInstall(id: string, trust: TrustPolicy | undefined, runs: number): Promise<number> {
  const install = async (n: number) => resolvePluginsForNode(join(work, 'registry'), [{ id, version: '^1.0.0' }], join(work, `install-${id}-${n}`), { trust });
  await install(-1); // warm-up (and the npm cache)
  const start = performance.now();
  for (let n = 0; n < runs; n++) await install(n);
  return (performance.now() - start) / runs;
}

try {
  const unsigned = await publish('bench-unsigned', false, false);
  const plain = await publish('bench-plain', false);
  const withDeps = await publish('bench-deps', true);
  const trust: TrustPolicy = { publishers: [key.keyId] };
  const baseline = await msPerInstall(unsigned, undefined, RUNS);
  const signed = await msPerInstall(plain, trust, RUNS);
  const deps = await msPerInstall(withDeps, trust, DEP_RUNS);
  console.log(`baseline: unsigned, dev mode (integrity + extract)    ${baseline.toFixed(2)} ms`);
  console.log(`signed + approved, trust policy checked               ${signed.toFixed(2)} ms  (${(signed / baseline).toFixed(2)}x)`);
  console.log(`signed + approved, one npm dependency (npm ci)        ${deps.toFixed(2)} ms  (${(deps / baseline).toFixed(1)}x)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
