import type { PluginDefinition } from '../define-plugin.js';
import type { CapabilitiesService } from '../services/capabilities.js';
import type { JobsService } from '../services/jobs.js';

export interface TestHostOptions {
  plugins: PluginDefinition[];
  /** Node config (same shape as the YAML file); `redis.url` defaults to an embedded redis-server. */
  config?: Record<string, unknown>;
}

export interface InjectResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json<T = unknown>(): T;
}

export interface TestHost {
  /** The node's HTTP edge, in-process (no socket). */
  inject(request: { method: string; url: string; payload?: unknown; headers?: Record<string, string> }): Promise<InjectResponse>;
  readonly jobs: JobsService;
  readonly capabilities: CapabilitiesService;
  stop(): Promise<void>;
}

/**
 * Boots the plugins on the real kernel (real Redis, real BullMQ, real fastify).
 * The kernel is loaded at run time so the sdk never depends on core at build
 * time: plugins import only @lpx/sdk, and the host comes from whichever
 * @lpx/core the project installs.
 */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const coreModule = '@lpx/core';
  const core = (await import(coreModule)) as { startTestHost(options: TestHostOptions): Promise<TestHost> };
  return core.startTestHost(options);
}
