/**
 * Many lightweight GetOrchestrator endpoints in one process, for tests and
 * benches of the gateway's discovery at scale: one grpc-js server bound on
 * `count` loopback ports over TLS with a self-signed certificate (as
 * go-livepeer orchestrators serve), each port a distinct orchestrator URI
 * answering a fixed OrchestratorInfo. It counts calls running at once and
 * records each call's peer (the client's address and port: the same peer
 * across rounds means the same connection was reused).
 */
import { Server, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { orchestratorServiceDefinition } from '../grpc/orchestrator-service-definition.js';
import { orchestratorServerCredentials } from '../tls/grpc-tls-credentials.js';
import type { TlsKeyPair } from '../tls/self-signed-certificate.js';
import type { OrchestratorInfo } from '../wire/types.js';

export interface InfoServersOptions {
  readonly tls: TlsKeyPair;
  /** Held before answering (default 0: answer at once). */
  readonly delayMs?: number;
}

export interface InfoServers {
  readonly uris: readonly string[];
  readonly stats: { inflight: number; maxInflight: number; calls: number; readonly peers: string[] };
  stop(): Promise<void>;
}

export async function startInfoServers(count: number, options: InfoServersOptions): Promise<InfoServers> {
  const server = new Server();
  const stats = { inflight: 0, maxInflight: 0, calls: 0, peers: [] as string[] };
  const byPort = new Map<string, OrchestratorInfo>();
  server.addService(orchestratorServiceDefinition, {
    GetOrchestrator(call: ServerUnaryCall<unknown, OrchestratorInfo>, callback: sendUnaryData<OrchestratorInfo>) {
      stats.calls++;
      stats.inflight++;
      stats.maxInflight = Math.max(stats.maxInflight, stats.inflight);
      stats.peers.push(call.getPeer());
      const port = call.getHost().split(':').pop() ?? '';
      const answer = (): void => {
        stats.inflight--;
        callback(null, byPort.get(port) ?? [...byPort.values()][0]!);
      };
      if ((options.delayMs ?? 0) > 0) setTimeout(answer, options.delayMs);
      else answer();
    },
  });
  const credentials = orchestratorServerCredentials(options.tls);
  const uris: string[] = [];
  for (let i = 0; i < count; i++) {
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
    const uri = `https://127.0.0.1:${port}`;
    uris.push(uri);
    byPort.set(String(port), {
      transcoder: uri,
      address: Uint8Array.from({ length: 20 }, (_, k) => (k === 19 ? i % 256 : k === 18 ? i >> 8 : 0)),
      priceInfo: { pricePerUnit: BigInt(1_000 + i), pixelsPerUnit: 1n },
      hardware: [],
      storage: [],
      capabilitiesPrices: [],
      nodes: [],
    });
  }
  return {
    uris,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 500);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
