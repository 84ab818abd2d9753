import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunnersExecutor, nodeTagFor, referenceRunnerImage, resolveRunnersConfig, type RawRunnersConfig } from '@lpx/plugin-ai-runners';
import type { Teardownable } from '../../helpers/host.js';
import type { KernelServices } from './containers-probe.js';

/** Quicker polls than go-livepeer's so tests do not sit through 5 s watch intervals; the limits stay generous. */
export const FAST = { pollMs: 100, healthMs: 3_000, watchIntervalMs: 300, startMs: 90_000, stopMs: 2_000 };

export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A models dir the runners (user nobody) can read. */
export function modelsDir(t: Teardownable): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-ai-models-'));
  chmodSync(dir, 0o755); // mkdtemp makes it 0700, closed to the runner's user
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A runners executor on the kernel's containers facade with the reference runner image; closed at teardown. */
export function runnersExecutor(t: Teardownable, kernel: KernelServices, raw: RawRunnersConfig, nodeTag = nodeTagFor(kernel.dataDir)): RunnersExecutor {
  const config = resolveRunnersConfig({ ...raw, timeouts: { ...FAST, ...raw.timeouts } }, kernel.dataDir);
  const executor = new RunnersExecutor({ config, containers: kernel.containers, builtInImage: referenceRunnerImage, nodeTag, logger: kernel.logger, metrics: kernel.metrics, gpuProbe: { nvidiaSmi: 'nvidia-smi' } });
  t.teardown(() => executor.close());
  return executor;
}
