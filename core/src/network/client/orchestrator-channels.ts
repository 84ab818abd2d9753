/**
 * One gRPC channel per orchestrator, kept across discovery rounds and
 * refreshes instead of a connection per call (go-livepeer dials per call).
 * At hundreds of orchestrators the TLS handshake is most of a
 * GetOrchestrator's cost; an open HTTP/2 connection answers the next round in
 * one round trip. A channel whose call failed is dropped, so the next call
 * dials afresh rather than wait out grpc-js's reconnect backoff.
 */
import { makeGenericClientConstructor, type Client } from '@grpc/grpc-js';
import { networkErrors } from '../network-errors.js';
import { orchestratorServiceDefinition } from '../grpc/orchestrator-service-definition.js';
import { orchestratorChannelCredentials } from '../tls/grpc-tls-credentials.js';

export const OrchestratorClient = makeGenericClientConstructor(orchestratorServiceDefinition, 'Orchestrator');

export interface OrchestratorTarget {
  readonly address: string;
  readonly scheme: 'https' | 'http';
}

/** Where a service URI's gRPC calls go: host:port (the scheme's default port when none) and TLS or cleartext. */
export function orchestratorTarget(uri: string | URL): OrchestratorTarget {
  let url: URL;
  try {
    url = new URL(String(uri));
  } catch (cause) {
    throw networkErrors.INVALID_URI.create(`orchestrator URI ${JSON.stringify(String(uri))} is not a URL`, { cause });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    throw networkErrors.INVALID_URI.create(`orchestrator URI ${JSON.stringify(String(uri))} is not an http(s) URL with a host`);
  }
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  return { address: url.port === '' ? `${url.host}:${scheme === 'https' ? 443 : 80}` : url.host, scheme };
}

export class OrchestratorChannels {
  readonly #clients = new Map<string, Client>();
  #opened = 0;

  /** The kept client for `target`, dialled on first use. */
  client(target: OrchestratorTarget): Client {
    const key = `${target.scheme}://${target.address}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new OrchestratorClient(target.address, orchestratorChannelCredentials(target.scheme));
      this.#clients.set(key, client);
      this.#opened++;
    }
    return client;
  }

  /** Closes the channel to `target` (a failed call, an orchestrator discovery no longer lists). */
  drop(target: OrchestratorTarget): void {
    const key = `${target.scheme}://${target.address}`;
    this.#clients.get(key)?.close();
    this.#clients.delete(key);
  }

  /** Channels open now. */
  get size(): number {
    return this.#clients.size;
  }

  /** Channels created so far (a reused channel is not counted again). */
  get opened(): number {
    return this.#opened;
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
