// An offchain orchestrator with remote transcoding on real sockets: the
// kernel's GrpcEdge (cleartext loopback) serving net.Transcoder behind a real
// TLS front door, which also serves /segment, /transcodeResults and /stream.
import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { Agent, request } from 'undici';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { CapabilityRegistry, jobCapabilitiesForTranscode, toLivepeerCapabilities } from '../../../src/capabilities/index.js';
import { GrpcEdge } from '../../../src/grpc/grpc-edge.js';
import { createFrontDoor } from '../../../src/network/front-door/front-door.js';
import { AuthTokenIssuer, generateSelfSignedCertificate, OrchestratorInfoBuilder, type TlsKeyPair } from '../../../src/network/index.js';
import {
  createTranscoderGrpcService,
  registerRemoteTranscoderRoutes,
  remoteTranscoder,
  RemoteTranscoderPool,
  SegmentStore,
  type RemoteTranscoderPoolOptions,
} from '../../../src/network/remote-transcoder/index.js';
import { emptySegData, encodeSegDataHeader, registerSegmentRoute, type VideoProfile } from '../../../src/network/segment/index.js';
import { keccak256, parseAddress } from '../../../src/payments/index.js';

export const SECRET = 'orch-secret-1';
const profile = (name: string, width: number, height: number): VideoProfile => ({
  name, width, height, bitrate: 400_000, fps: 30, format: 0, fpsDen: 1, profile: 0, gop: 0, encoder: 0, colorDepth: 0, chromaFormat: 0, quality: 0,
});
export const PROFILES: VideoProfile[] = [profile('P144p30fps16x9', 256, 144), profile('P240p30fps16x9', 426, 240)];

let pair: Promise<TlsKeyPair> | undefined;
export const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

export interface NodeOptions {
  readonly pool?: Partial<RemoteTranscoderPoolOptions>;
}

export async function startRemoteTranscoderNode(t: Test, options: NodeOptions = {}) {
  pair ??= generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  const orchestrator = privateKeyToAccount(generatePrivateKey());
  const capacityEvents: [number, number][] = [];
  const pool = new RemoteTranscoderPool({ secret: SECRET, onCapacityChange: (capacity, load) => capacityEvents.push([capacity, load]), ...options.pool });
  const store = new SegmentStore();
  const edge = new GrpcEdge();
  const service = createTranscoderGrpcService(pool);
  edge.facadeFor('kernel.network').addService(service.definition, service.implementation);
  const grpcPort = (await edge.start('127.0.0.1', 0))!;

  const registry = new CapabilityRegistry();
  registry.declare('transcode', { version: 1, mode: 'stream', workUnit: 'pixel', priceUnit: 'wei/pixel', id: 'video/transcode', capacity: 4, price: { pricePerUnit: '0', pixelsPerUnit: '1' } });
  registry.publish();
  const authTokens = new AuthTokenIssuer();
  let uri = '';
  const builder = new OrchestratorInfoBuilder({
    serviceUri: () => uri,
    address: parseAddress(orchestrator.address),
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1',
    authTokens,
    capabilityOptions: { usage: registry },
  });

  const door = createFrontDoor({ host: '127.0.0.1', port: 0, tls: await pair, grpcTarget: { host: '127.0.0.1', port: grpcPort }, closeGraceMs: 200 });
  const transcode = remoteTranscoder({
    pool,
    store,
    serviceUri: () => uri,
    orchId: orchestrator.address.toLowerCase(),
    sign: async (message) => Buffer.from((await orchestrator.signMessage({ message: { raw: message } })).slice(2), 'hex'),
  });
  registerSegmentRoute(door.app, {
    authTokens,
    orchestratorCapabilities: () => toLivepeerCapabilities(registry.list(), '0.9.1', { usage: registry }),
    hasCapacity: () => true,
    buildInfo: (sender) => builder.build({ gateway: sender, ignoreCapacityCheck: true }),
    transcode,
  });
  registerRemoteTranscoderRoutes(door.app, { pool, store });
  const { port } = await door.start();
  uri = `https://127.0.0.1:${port}`;
  t.teardown(async () => {
    pool.close();
    await door.close();
    await edge.stop(200);
  });

  /** Offchain Livepeer-Segment credentials for `body` in a fresh (or given) session. */
  function segmentHeader(body: Uint8Array, over: { seq?: bigint; sessionToken?: ReturnType<AuthTokenIssuer['issue']>; durationMs?: number } = {}): string {
    return encodeSegDataHeader({
      ...emptySegData(),
      manifestId: 'manifest-1',
      seq: over.seq ?? 7n,
      hash: keccak256(body),
      profiles: new TextEncoder().encode('invalid'),
      duration: over.durationMs ?? 2_000,
      capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
      authToken: over.sessionToken ?? authTokens.issue(),
      fullProfiles: PROFILES,
    });
  }

  async function postSegment(body: Uint8Array, header: string) {
    const res = await request(`${uri}/segment`, {
      method: 'POST',
      dispatcher: insecureAgent,
      headers: { 'livepeer-payment': '', 'livepeer-segment': header, 'content-type': 'video/MP2T' },
      body,
    });
    return { status: res.statusCode, body: new Uint8Array(await res.body.arrayBuffer()) };
  }

  return { uri, orchAddr: `127.0.0.1:${port}`, pool, store, authTokens, orchestrator, capacityEvents, segmentHeader, postSegment, source: () => randomBytes(64) };
}

/** Polls until `check` holds (registration is asynchronous from the double's side). */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
