import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHost, TestHostOptions } from '@lpx/sdk/testing';
import { Host } from '../boot/host.js';
import { loadConfig } from '../config/load-config.js';

/**
 * The kernel behind `@lpx/sdk/testing`'s startTestHost: a real node with a
 * throwaway data dir, no listening socket (requests go through inject), and
 * an embedded redis-server unless REDIS_URL points elsewhere.
 */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-test-host-'));
  const given = options.config ?? {};
  const raw = {
    ...given,
    node: { roles: ['worker'], ...(given.node as object | undefined), dataDir },
    log: { level: 'warn', ...(given.log as object | undefined) },
    http: { ...(given.http as object | undefined), enabled: false },
  };
  const host = new Host({ config: loadConfig({ raw, env: process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {} }), plugins: options.plugins });
  try {
    await host.start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    inject: async (request) => {
      const response = await host.http.inject({
        method: request.method as 'GET',
        url: request.url,
        ...(request.payload === undefined ? {} : { payload: request.payload as object }),
        ...(request.headers ? { headers: request.headers } : {}),
      });
      return { statusCode: response.statusCode, headers: response.headers, body: response.body, json: <T>() => response.json() as T };
    },
    jobs: host.jobs,
    capabilities: host.capabilities,
    stop: async () => {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
