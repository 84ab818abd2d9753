// The plugin on real sockets without the kernel's AI dispatch: its own init
// runs against the kernel's real orchestrator wire (PluginWire), whose
// records are applied to a real GrpcEdge (cleartext loopback) behind a real
// TLS front door, as the orchestrator role applies them. Tests then call the
// executor the plugin registered directly, with go-livepeer AI worker doubles
// registering through the door.
import { tmpdir } from 'node:os';
import type { Test } from 'tap';
import type { AIExecutor, AIPipelineName, AIPipelineRequest, AIRequestBody, PluginRegistrar } from '@lpx/sdk';
import { GrpcEdge } from '../../../../core/src/grpc/grpc-edge.js';
import { createFrontDoor } from '../../../../core/src/network/front-door/front-door.js';
import { generateSelfSignedCertificate, type TlsKeyPair } from '../../../../core/src/network/index.js';
import { PluginWire } from '../../../../core/src/roles/orchestrator/plugin-wire.js';
import { aiRemoteWorkerPlugin, type AIRemoteWorkerConfig, type RemoteWorkersExecutor } from '../../../../plugins/ai-remote-worker/src/index.js';

export const SECRET = 'orch-secret-for-ai-workers';
export const ORCH_ADDRESS = '0x00000000000000000000000000000000000000aA';

let pair: Promise<TlsKeyPair> | undefined;

export interface LogLine {
  readonly level: string;
  readonly obj: unknown;
  readonly msg: string | undefined;
}

export interface RemoteAINodeOptions {
  readonly secret?: string;
  readonly roles?: readonly string[];
  readonly config?: AIRemoteWorkerConfig;
}

function recordingLogger(lines: LogLine[]): unknown {
  const at = (level: string) => (obj: unknown, msg?: string) => void lines.push({ level, obj, msg });
  const logger: Record<string, unknown> = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace'), fatal: at('fatal') };
  logger['child'] = () => logger;
  return logger;
}

/** Runs the plugin's init with the deps the kernel would give it; returns what it registered. */
export async function initPlugin(wire: PluginWire, options: RemoteAINodeOptions = {}, logs: LogLine[] = []) {
  const executors: AIExecutor[] = [];
  const shutdown: (() => unknown)[] = [];
  let init: ((deps: never) => unknown) | undefined;
  const registrar = {
    registerExtensionPoint: () => undefined,
    registerService: () => undefined,
    registerInit: (i: { init: (deps: never) => unknown }) => void (init = i.init),
  } as unknown as PluginRegistrar;
  aiRemoteWorkerPlugin.register(registrar);
  const deps = {
    config: { get: () => options.config ?? {}, dataDir: tmpdir(), roles: options.roles ?? ['orchestrator', 'worker'] },
    logger: recordingLogger(logs),
    lifecycle: { onStart: () => undefined, onShutdown: (hook: () => unknown) => void shutdown.push(hook), signal: new AbortController().signal },
    wire: wire.facadeFor('ai-remote-worker'),
    executors: { addExecutor: (e: AIExecutor) => void executors.push(e) },
  };
  await init!(deps as never);
  return { executor: executors[0] as RemoteWorkersExecutor | undefined, shutdown };
}

export async function startRemoteAINode(t: Test, options: RemoteAINodeOptions = {}) {
  pair ??= generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  const secret = options.secret ?? SECRET;
  const wire = new PluginWire({ enabled: true, secret: () => secret });
  const logs: LogLine[] = [];
  const { executor, shutdown } = await initPlugin(wire, options, logs);
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
  return { uri, orchAddr: `127.0.0.1:${port}`, executor: executor!, wire, logs };
}

export type RemoteAINode = Awaited<ReturnType<typeof startRemoteAINode>>;

/** A validated request as a pipeline plugin hands it to an executor. */
export function pipelineRequest(pipeline: AIPipelineName, modelId: string, body: AIRequestBody, stream = false): AIPipelineRequest {
  return { pipeline, modelId, body, stream, measures: {} };
}

/** Polls until `check` holds (registration has no reply of its own to wait on). */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
