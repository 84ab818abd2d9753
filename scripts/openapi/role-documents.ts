/**
 * Boots each role's node in-process (offchain, no plugins beyond the ones
 * named here, Redis from REDIS_URL or a private redis-server) and returns the
 * OpenAPI document of every HTTP server it runs, next to the routes fastify
 * registered there. Used by scripts/generate-openapi.ts (docs/openapi/*.json),
 * the drift test (core/test/http/openapi-drift.test.ts) and the route
 * conformance test (core/test/http/openapi-plugin-routes.test.ts).
 *
 * Two boots load the plugins that serve HTTP routes for their role, so their
 * routes are in a committed document too: the gateway's (OpenAI API, video
 * ingest) and the orchestrator's front-door plugins (trickle, remote
 * transcoders and AI workers, BYOC hosting and streams, Live Runner).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { PluginDefinition } from '@lpx/sdk';
import aiRemoteWorker from '@lpx/plugin-ai-remote-worker';
import byocHost from '@lpx/plugin-byoc-host';
import byocStream from '@lpx/plugin-byoc-stream';
import gatewayOpenAI from '@lpx/plugin-gateway-openai';
import liveRunner from '@lpx/plugin-live-runner';
import transcodeRemote from '@lpx/plugin-transcode-remote';
import trickle from '@lpx/plugin-trickle';
import videoIngest from '@lpx/plugin-video-ingest';
import { Host } from '../../core/src/boot/host.js';
import { loadConfig } from '../../core/src/config/load-config.js';
import { documentedRoutes, openApiDocument, registeredRouteSchemas, registeredRoutes, type OpenApiDocument, type RegisteredRoute } from '../../core/src/http/openapi/index.js';
import { startEmbeddedRedis } from '../../core/src/redis/embedded-redis.js';

export const OPENAPI_DIR = new URL('../../docs/openapi/', import.meta.url);

/** One HTTP server of a booted role: its document and what fastify registered. */
export interface ServerDocument {
  /** File name under docs/openapi/, without `.json`. */
  readonly name: string;
  readonly document: OpenApiDocument;
  readonly registered: string[];
  readonly documented: string[];
  /** The registered routes with their schemas, for the conformance check. */
  readonly routes: RegisteredRoute[];
}

interface RoleBoot {
  readonly roles: string[];
  readonly raw: Record<string, unknown>;
  readonly plugins?: readonly PluginDefinition[];
  /** name → the server of the booted host */
  readonly servers: Record<string, (host: Host) => FastifyInstance>;
}

// A redeemer-only node serves the worker's kernel routes (it adds none): worker.json describes its port too.
const BOOTS: readonly RoleBoot[] = [
  { roles: ['worker'], raw: {}, servers: { worker: (host) => host.http } },
  { roles: ['gateway'], raw: {}, servers: { gateway: (host) => host.http } },
  {
    roles: ['orchestrator'],
    raw: { orchestrator: { port: 0, secret: 'openapi-docs' } },
    // Its HTTP port serves the worker's kernel routes (worker.json); the front door is its own server.
    servers: { orchestrator: (host) => host.frontDoor! },
  },
  { roles: ['gateway'], raw: {}, plugins: [gatewayOpenAI, videoIngest], servers: { 'gateway-plugins': (host) => host.http } },
  {
    // transcode-remote and ai-remote-worker mount their routes only next to the worker role.
    roles: ['orchestrator', 'worker'],
    raw: { orchestrator: { port: 0, secret: 'openapi-docs' } },
    plugins: [trickle, transcodeRemote, aiRemoteWorker, byocHost, byocStream, liveRunner],
    servers: { 'orchestrator-plugins': (host) => host.frontDoor! },
  },
];

function describe(name: string, app: FastifyInstance): ServerDocument {
  const document = openApiDocument(app);
  return { name, document, registered: registeredRoutes(app), documented: documentedRoutes(document), routes: registeredRouteSchemas(app) };
}

/** Every server document, in a stable order. */
export async function generateRoleDocuments(): Promise<ServerDocument[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'lpx-openapi-'));
  const redis = process.env.REDIS_URL === undefined ? await startEmbeddedRedis({ dataDir: join(scratch, 'redis') }) : undefined;
  const redisUrl = process.env.REDIS_URL ?? redis!.url;
  const out: ServerDocument[] = [];
  try {
    for (const [index, boot] of BOOTS.entries()) {
      const dataDir = join(scratch, `node-${index}`);
      const host = new Host({
        config: loadConfig({
          raw: { log: { level: 'silent' }, http: { port: 0 }, ...boot.raw, redis: { url: redisUrl, prefix: `{lpx-openapi-${process.pid}-${index}}` }, node: { roles: boot.roles, dataDir } },
          env: {},
        }),
        plugins: [...(boot.plugins ?? [])],
      });
      try {
        await host.start();
        for (const [name, server] of Object.entries(boot.servers)) out.push(describe(name, server(host)));
      } finally {
        await host.stop();
      }
    }
  } finally {
    await redis?.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  return out;
}

/** The committed form of a document: stable key order as generated, two-space indent, final newline. */
export function renderDocument(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
