/**
 * Remote transcoders on the orchestrator: go-livepeer `-transcoder` nodes
 * register over `net.Transcoder` with the orchestrator secret, and `/segment`
 * work goes to them. Their summed capacity is `video/transcode`'s capacity in
 * the registry (so OrchestratorInfo advertises it) and, with
 * `maxSessions: auto`, the session limit.
 */
import type { LocalAccount } from 'viem';
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { TRANSCODE_CAPABILITY_ID } from '../../capabilities/index.js';
import type { CapabilityRegistry } from '../../capabilities/index.js';
import type { GrpcEdge } from '../../grpc/grpc-edge.js';
import { personalSign } from '../../network/index.js';
import type { Transcoder } from '../../network/segment/index.js';
import { createTranscoderGrpcService, registerRemoteTranscoderRoutes, RemoteTranscoderPool, remoteTranscoder, SegmentStore } from '../../network/remote-transcoder/index.js';

export interface RemoteTranscoding {
  readonly pool: RemoteTranscoderPool;
  readonly transcode: Transcoder;
  mount(app: FastifyInstance): void;
  /** A gateway session ended or idled out: tell its transcoder and drop its segments. */
  endSession(sessionId: string): void;
  close(): void;
}

export interface RemoteTranscodingOptions {
  readonly secret: string;
  readonly capabilities: CapabilityRegistry;
  readonly grpc: GrpcEdge;
  readonly account: LocalAccount;
  readonly serviceUri: () => string;
  readonly logger: Logger;
  /** Told the summed capacity whenever a transcoder comes or goes. */
  readonly onCapacity?: (capacity: number) => void;
}

export function startRemoteTranscoding(options: RemoteTranscodingOptions): RemoteTranscoding {
  const logger = options.logger.child({ component: 'remote-transcoders' });
  const pool = new RemoteTranscoderPool({
    secret: options.secret,
    logger,
    onCapacityChange: (capacity) => {
      options.capabilities.setCapacity(TRANSCODE_CAPABILITY_ID, capacity);
      options.onCapacity?.(capacity);
    },
  });
  const service = createTranscoderGrpcService(pool);
  options.grpc.facadeFor('kernel.remote-transcoders').addService(service.definition, service.implementation);
  const store = new SegmentStore();
  const transcode = remoteTranscoder({
    pool,
    store,
    serviceUri: options.serviceUri,
    orchId: options.account.address,
    sign: (message) => personalSign(options.account, message),
  });
  return {
    pool,
    transcode,
    mount: (app) => registerRemoteTranscoderRoutes(app, { pool, store }),
    endSession(sessionId) {
      pool.endSession(sessionId);
      store.deleteSession(sessionId);
    },
    close: () => pool.close(),
  };
}
