// The plugin on real sockets without the kernel's transcode dispatch: its own
// init runs against the kernel's real orchestrator wire (PluginWire), whose
// records are applied to a real GrpcEdge (cleartext loopback) behind a real
// TLS front door, as the orchestrator role applies them. Tests then drive the
// backend the plugin registered directly, with go-livepeer-style transcoder
// doubles registering through the door.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Test } from 'tap';
import { Agent } from 'undici';
import { type PluginRegistrar, type TranscodeBackend, type TranscodeProfile, type TranscodeTask } from '@lpx/sdk';
import { GrpcEdge } from '../../../../core/src/grpc/grpc-edge.js';
import { createFrontDoor } from '../../../../core/src/network/front-door/front-door.js';
import { generateSelfSignedCertificate, type TlsKeyPair } from '../../../../core/src/network/index.js';
import { PluginWire } from '../../../../core/src/roles/orchestrator/plugin-wire.js';
import { transcodeRemotePlugin, type RemoteTranscodeBackend, type TranscodeRemoteConfig } from '../../../../plugins/transcode-remote/src/index.js';

export const SECRET = 'orch-secret-1';
export const ORCH_ADDRESS = '0x00000000000000000000000000000000000000aA';
export const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

const profile = (name: string, width: number, height: number): TranscodeProfile => ({
  name, width, height, bitrate: 400_000, fps: 30, fpsDen: 1, gopMs: 0, codec: 'H264', profile: 'encoder-default', format: 'mpegts', quality: 0,
});
export const PROFILES: TranscodeProfile[] = [profile('P144p30fps16x9', 256, 144), profile('P240p30fps16x9', 426, 240)];

let pair: Promise<TlsKeyPair> | undefined;
let source: Promise<string> | undefined;

/** A 1 s 160x90 H.264 MPEG-TS made by the real ffmpeg, once per process. */
export function sourceSegment(): Promise<string> {
  source ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lpx-remote-src-'));
    process.once('exit', () => void rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'source.ts');
    await promisify(execFile)('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=15', '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'mpegts', path]);
    return path;
  })();
  return source;
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined, fatal: () => undefined, child: () => quiet };

export interface RemoteNodeOptions {
  readonly secret?: string;
  readonly roles?: readonly string[];
  readonly config?: TranscodeRemoteConfig;
}

/** Runs the plugin's init with the deps the kernel would give it; returns what it registered. */
export async function initPlugin(wire: PluginWire, options: RemoteNodeOptions = {}) {
  const backends: TranscodeBackend[] = [];
  const shutdown: (() => unknown)[] = [];
  let init: ((deps: never) => unknown) | undefined;
  const registrar = {
    registerExtensionPoint: () => undefined,
    registerService: () => undefined,
    registerInit: (i: { init: (deps: never) => unknown }) => void (init = i.init),
  } as unknown as PluginRegistrar;
  transcodeRemotePlugin.register(registrar);
  const deps = {
    config: { get: () => options.config ?? {}, dataDir: tmpdir(), roles: options.roles ?? ['orchestrator', 'worker'] },
    logger: quiet,
    lifecycle: { onStart: () => undefined, onShutdown: (hook: () => unknown) => void shutdown.push(hook), signal: new AbortController().signal },
    wire: wire.facadeFor('transcode-remote'),
    backends: { addBackend: (b: TranscodeBackend) => void backends.push(b) },
  };
  await init!(deps as never);
  return { backend: backends[0] as RemoteTranscodeBackend | undefined, shutdown };
}

export async function startRemoteNode(t: Test, options: RemoteNodeOptions = {}) {
  pair ??= generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  const secret = options.secret ?? SECRET;
  const wire = new PluginWire({ enabled: true, secret: () => secret });
  const { backend, shutdown } = await initPlugin(wire, options);
  const edge = new GrpcEdge();
  wire.applyGrpc(edge);
  const grpcPort = (await edge.start('127.0.0.1', 0))!;
  const door = createFrontDoor({ host: '127.0.0.1', port: 0, tls: await pair, grpcTarget: { host: '127.0.0.1', port: grpcPort }, closeGraceMs: 200 });
  wire.applyHttp(door.app);
  const { port } = await door.start();
  const uri = `https://127.0.0.1:${port}`;
  wire.opened({ serviceUri: uri, address: ORCH_ADDRESS });
  t.teardown(async () => {
    for (const hook of shutdown) await hook();
    await door.close();
    await edge.stop(200);
  });

  const tasks: string[] = [];
  /** A task for `sessionId` over the real source segment, with a fresh output directory. */
  async function task(over: Partial<TranscodeTask> = {}): Promise<TranscodeTask> {
    const outputDir = await mkdtemp(join(tmpdir(), 'lpx-remote-out-'));
    tasks.push(outputDir);
    const path = await sourceSegment();
    const { size } = await stat(path);
    return { sessionId: 'session-1', seq: 7, input: { path, format: 'mpegts', sizeBytes: size, durationMs: 2_000 }, profiles: PROFILES, outputDir, signal: new AbortController().signal, ...over };
  }
  t.teardown(async () => {
    for (const dir of tasks) await rm(dir, { recursive: true, force: true });
  });
  return { uri, orchAddr: `127.0.0.1:${port}`, backend: backend!, wire, task };
}

/** Polls until `check` holds (registration is asynchronous from the double's side). */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
