import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginDefinition } from '@lpx/sdk';
import { Host } from '../../core/src/boot/host.js';
import { loadConfig } from '../../core/src/config/load-config.js';

export interface Teardownable {
  teardown(fn: () => unknown): void;
}

/** A Host on a temp data dir and a free port, stopped at teardown. Not started. */
export function makeHost(t: Teardownable, plugins: PluginDefinition[], raw: Record<string, unknown> = {}): Host {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-host-test-'));
  const host = new Host({
    config: loadConfig({
      raw: { log: { level: process.env.LPX_TEST_LOG ?? 'silent' }, http: { port: 0 }, ...raw, node: { roles: ['worker'], ...(raw.node as object), dataDir } },
      env: process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {},
    }),
    plugins,
  });
  t.teardown(async () => {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return host;
}
