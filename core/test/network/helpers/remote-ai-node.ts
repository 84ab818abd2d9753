// An orchestrator's remote-AI side on real sockets: the front door (TLS,
// HTTP/1.1 + HTTP/2) with /aiResults and the file routes, and a loopback
// grpc-js server behind its gRPC proxy serving net.AIWorker from a pool.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createFrontDoor } from '../../../src/network/front-door/front-door.js';
import { generateSelfSignedCertificate, type TlsKeyPair } from '../../../src/network/index.js';
import {
  createAIWorkerGrpcService,
  registerRemoteAIRoutes,
  RemoteAIWorkerPool,
  type RemoteAIEvent,
  type RemoteAIWorkerPoolOptions,
} from '../../../src/network/remote-ai/index.js';

let cachedPair: Promise<TlsKeyPair> | undefined;

export const SECRET = 'orch-secret-for-ai-workers';

export interface CapacityChange {
  readonly pipeline: string;
  readonly modelId: string;
  readonly total: number;
}

export async function startRemoteAINode(options: Partial<RemoteAIWorkerPoolOptions> = {}) {
  cachedPair ??= generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  const pair = await cachedPair;
  const capacityChanges: CapacityChange[] = [];
  const events: RemoteAIEvent[] = [];
  const routeErrors: unknown[] = [];
  const uri = { value: '' };
  const pool = new RemoteAIWorkerPool({
    secret: SECRET,
    serviceUri: () => uri.value,
    onCapacityChange: (pipeline, modelId, total) => capacityChanges.push({ pipeline, modelId, total }),
    onEvent: (event) => events.push(event),
    ...options,
  });
  const grpc = new Server();
  const service = createAIWorkerGrpcService(pool);
  grpc.addService(service.definition, service.implementation);
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
  const door = createFrontDoor({ host: '127.0.0.1', port: 0, tls: pair, grpcTarget: { host: '127.0.0.1', port: grpcPort }, closeGraceMs: 200 });
  registerRemoteAIRoutes(door.app, { pool, onError: (error) => routeErrors.push(error) });
  const { url, port } = await door.start();
  uri.value = url;
  return {
    pool,
    url,
    orchAddr: `127.0.0.1:${port}`,
    capacityChanges,
    events,
    routeErrors,
    async close(): Promise<void> {
      pool.close();
      await door.close();
      await new Promise<void>((resolve) => grpc.tryShutdown(() => resolve()));
    },
  };
}

export type RemoteAINode = Awaited<ReturnType<typeof startRemoteAINode>>;

/** Polls until `check` holds (registration has no reply of its own to wait on). */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
