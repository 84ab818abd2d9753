/**
 * The echo stream worker as a library: start its HTTP server and register it
 * with an orchestrator; `close()` unregisters and stops every stream. The
 * command line (src/main.ts) and lpx's demo use this.
 */
import { register, unregister } from './registration.js';
import { startWorkerServer, type WorkerServer } from './worker-server.js';

export { echoSegment } from './echo.js';

export interface EchoWorkerOptions {
  /** The orchestrator's service URI (https://host:port). */
  readonly orchestrator: string;
  /** The orchestrator's secret (`orchestrator.secret` on lpx, `-orchSecret` on go-livepeer). */
  readonly secret: string;
  /** The capability name gateways ask for (default `stream-echo`). */
  readonly name?: string;
  /** Wei per second (default 1). */
  readonly pricePerUnit?: number;
  /** Concurrent streams (default 1). */
  readonly capacity?: number;
  /** Listen address (default 127.0.0.1, port 0 = any free one). */
  readonly host?: string;
  readonly port?: number;
  /** The URL the orchestrator calls, when it is not the listen address (a container, a proxy). */
  readonly advertiseUrl?: string;
  /** Sent back by the orchestrator as `Authorization: Bearer`; default: a random one. */
  readonly token?: string;
  readonly log?: (line: string) => void;
}

export interface EchoWorker {
  readonly name: string;
  readonly url: string;
  readonly server: WorkerServer;
  close(): Promise<void>;
}

export async function startEchoWorker(options: EchoWorkerOptions): Promise<EchoWorker> {
  const log = options.log ?? (() => undefined);
  const name = options.name ?? 'stream-echo';
  const token = options.token ?? crypto.randomUUID();
  const server = await startWorkerServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, token, capacity: options.capacity ?? 1, log });
  const url = options.advertiseUrl ?? server.url;
  const registration = { orchestrator: options.orchestrator, secret: options.secret, name, description: 'echoes every segment with a header line', url, capacity: options.capacity ?? 1, pricePerUnit: options.pricePerUnit ?? 1, token };
  try {
    await register(registration);
  } catch (error) {
    await server.close();
    throw error;
  }
  log(`registered ${name} at ${options.orchestrator} (worker ${url})`);
  return {
    name,
    url,
    server,
    async close() {
      await unregister(registration).catch((error: Error) => log(`unregister: ${error.message}`));
      await server.close();
    },
  };
}
