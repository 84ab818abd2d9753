import { createRequire } from 'node:module';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { installRegistryProblems } from './problem-reply.js';
import { registerReadRoutes } from './read-routes.js';
import { RegistryTokens } from './tokens.js';
import { registerWriteRoutes } from './write-routes.js';

export interface RegistryServerOptions {
  /** The registry folder served (same layout as a local registry). */
  readonly root: string;
  /** Bearer tokens allowed to publish and add signatures; none = read-only. */
  readonly publishTokens?: readonly string[];
  /** Bearer tokens allowed to post reviews (and to publish). */
  readonly adminTokens?: readonly string[];
  /** Largest release upload, bytes; default 128 MiB. */
  readonly maxPublishBytes?: number;
  readonly logger?: FastifyBaseLogger;
}

export const DEFAULT_MAX_PUBLISH_BYTES = 128 * 1024 * 1024;

// fastify is required when a registry server is made, not when the registry package is imported:
// `lpx config check` imports the package for manifests and trust, and never serves (ADR 0063).
const require = createRequire(import.meta.url);

/** The registry as a fastify app, not listening: tests `inject` into it, `serveRegistry` binds it. */
export function createRegistryServer(options: RegistryServerOptions): FastifyInstance {
  const Fastify = require('fastify') as typeof import('fastify').default;
  const app = Fastify({ ...(options.logger ? { loggerInstance: options.logger } : { logger: false }), bodyLimit: 64 * 1024 });
  installRegistryProblems(app);
  registerReadRoutes(app, options.root);
  registerWriteRoutes(app, options.root, new RegistryTokens(options.publishTokens ?? [], options.adminTokens ?? []), {
    maxPublishBytes: options.maxPublishBytes ?? DEFAULT_MAX_PUBLISH_BYTES,
  });
  return app;
}

export interface ServedRegistry {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the registry on `host:port` (port 0 = any free port) and returns its URL. */
export async function serveRegistry(options: RegistryServerOptions & { host?: string; port?: number }): Promise<ServedRegistry> {
  const app = createRegistryServer(options);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { url, close: () => app.close() };
}
