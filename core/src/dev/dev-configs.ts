/**
 * The node configs `lpx dev up` writes: ordinary lpx config files, so every
 * process of the local network is a plain `lpx start --config <file>` that an
 * operator can read, copy and run by hand.
 */
import { createRequire } from 'node:module';
import { AI_PIPELINES } from '@lpx/sdk';
import { homedir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export interface DevChainRef {
  readonly rpcUrl: string;
  readonly controller: string;
}

/** The dev chain keeper mines a block this often. */
export const DEV_BLOCK_TIME_MS = 200;

/** Dev ticket economics: EV near half the face value anvil's gas price gives, so even a short demo wins tickets. */
export const DEV_TICKET_EV = 5n * 10n ** 16n;
/** byoc/echo costs this many wei per second of work (BYOC bills whole seconds, with 60 s of credit up front). */
export const DEV_ECHO_PRICE_PER_SECOND = 5n * 10n ** 15n;
/** Transcoding costs this many wei per output pixel: a 2 s segment into the default ladder (~20 M pixels) is ~0.4 ticket EV. */
export const DEV_PIXEL_PRICE = 10n ** 9n;
/**
 * redis.connectTimeoutMs of every dev node: they all start at once, often on two cores, and a node busy loading
 * its plugins may see the shared Redis's answer late; the dev Redis is already up, so only a stall waits this long.
 */
export const DEV_REDIS_CONNECT_TIMEOUT_MS = 60_000;
/** Segments each dev orchestrator transcodes at once (the ffmpeg backend's capacity). */
export const DEV_TRANSCODE_SESSIONS = 2;

function moduleFile(specifier: string): string {
  return require.resolve(specifier);
}

export interface OrchestratorConfigInput {
  readonly index: number;
  readonly redisUrl: string;
  readonly chain: DevChainRef;
  readonly privateKey: string;
  readonly httpPort: number;
  readonly servicePort: number;
  readonly dataDir: string;
  readonly secret: string;
  /** Separate worker processes do the work (`lpx dev up --workers N`): the orchestrator runs none itself. */
  readonly separateWorkers?: boolean;
  /** Serve AI: runner containers of the reference image through the node's own dockerd (`lpx dev up --ai`). */
  readonly ai?: boolean;
  /** Host this installed BYOC partner plugin (`lpx dev up --byoc`): its container on the same dockerd, also as a Live Runner app. */
  readonly byoc?: { readonly pluginId: string; readonly module: string };
  /** `byoc/echo` jobs the orchestrator takes at once (default 8); benches that load it raise it. */
  readonly echoCapacity?: number;
  /** orchestrator.ticketEV (default DEV_TICKET_EV). */
  readonly ticketEV?: bigint;
}

/** What a dev AI orchestrator runs warm, one reference runner container each: every kind of engine the runner has. */
export const DEV_AI_MODELS: readonly { readonly pipeline: string; readonly model_id: string }[] = [
  { pipeline: 'text-to-speech', model_id: 'parler-tts/parler-tts-large-v1' },
  { pipeline: 'audio-to-text', model_id: 'openai/whisper-large-v3' },
  { pipeline: 'image-to-text', model_id: 'Salesforce/blip-image-captioning-large' },
  { pipeline: 'upscale', model_id: 'stabilityai/stable-diffusion-x4-upscaler' },
  { pipeline: 'text-to-image', model_id: 'stabilityai/sdxl-turbo' },
  { pipeline: 'llm', model_id: 'meta-llama/llama-3.1-8B-Instruct' },
];

/** AI costs this many wei per unit (pixel, ms of audio, token, character): small next to the dev ticket EV. */
export const DEV_AI_PRICE_PER_UNIT = 10n ** 9n;

/**
 * The dev network's Docker state lives outside its wiped data dir, so the
 * reference runner image is imported and built once per machine, not once
 * per `dev up`; runtime-docker adopts a dockerd already running on it.
 */
export function devDockerStateDir(): string {
  return join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'lpx', 'dev-docker');
}

/** The BYOC example's built archive and image id, per build inputs (core/src/dev/byoc-example.ts). */
export function devByocCacheDir(): string {
  return join(devDockerStateDir(), '..', 'dev-byoc-example');
}

/** Every batch AI pipeline is a plugin: gateways load them to validate and price requests, orchestrators to run them. */
function pipelinePlugins(): Record<string, unknown> {
  return Object.fromEntries(AI_PIPELINES.map((pipeline) => [`ai-${pipeline}`, { module: moduleFile(`@lpx/plugin-ai-${pipeline}`) }]));
}

/** runtime-docker's config on a dev orchestrator (and for building the BYOC example's image): the shared dev dockerd. */
export function devRuntimeDockerConfig(): Record<string, unknown> {
  // Six warm runners start at once on a 2-core machine that is also running the chain and the gateway:
  // container starts have been seen to take over 30 s there.
  return { stateDir: devDockerStateDir(), callTimeoutMs: 120_000 };
}

function runtimeDockerPlugin(): Record<string, unknown> {
  return { 'runtime-docker': { module: moduleFile('@lpx/plugin-runtime-docker'), config: devRuntimeDockerConfig() } };
}

/** A BYOC partner plugin hosted in a container, served on /process/request/*, /ai/stream/* and, through the bridge, as a Live Runner app. */
function byocPlugins(partner: { readonly pluginId: string; readonly module: string }): Record<string, unknown> {
  return {
    ...runtimeDockerPlugin(),
    'byoc-host': { module: moduleFile('@lpx/plugin-byoc-host') },
    trickle: { module: moduleFile('@lpx/plugin-trickle') },
    'live-runner': { module: moduleFile('@lpx/plugin-live-runner') },
    'byoc-live-runner': { module: moduleFile('@lpx/plugin-byoc-live-runner') },
    'byoc-stream': { module: moduleFile('@lpx/plugin-byoc-stream') },
    [partner.pluginId]: { module: partner.module },
  };
}

function aiRunnerPlugins(): Record<string, unknown> {
  return {
    ...runtimeDockerPlugin(),
    'ai-runners': {
      module: moduleFile('@lpx/plugin-ai-runners'),
      config: {
        // No GPU here: one emulated slot per warm model.
        containersPerGpu: DEV_AI_MODELS.length,
        aiModels: DEV_AI_MODELS.map((m) => ({ ...m, warm: true, price_per_unit: Number(DEV_AI_PRICE_PER_UNIT), pixels_per_unit: 1 })),
      },
    },
    ...pipelinePlugins(),
  };
}

function workPlugins(transcodeSessions: number, echoCapacity = 8): Record<string, unknown> {
  return {
    'example-echo': { module: moduleFile('@lpx/plugin-example-echo'), config: { concurrency: echoCapacity } },
    // Transcoding on this machine's CPU; `lpx transcode probe` shows what else would work here.
    'transcode-ffmpeg': { module: moduleFile('@lpx/plugin-transcode-ffmpeg'), config: { maxSessions: transcodeSessions, preset: 'veryfast' } },
  };
}

export function orchestratorConfig(input: OrchestratorConfigInput): Record<string, unknown> {
  const roles = input.separateWorkers === true ? ['orchestrator', 'redeemer'] : ['orchestrator', 'worker', 'redeemer'];
  return {
    node: { name: `orchestrator-${input.index}`, roles, dataDir: input.dataDir },
    log: { level: 'info' },
    http: { host: '127.0.0.1', port: input.httpPort },
    // Each orchestrator keeps its worker queues under its own prefix on the shared Redis.
    redis: { url: input.redisUrl, prefix: `{lpx-o${input.index}}`, connectTimeoutMs: DEV_REDIS_CONNECT_TIMEOUT_MS },
    chain: { ...input.chain, privateKey: input.privateKey, l1BlockTimeMs: DEV_BLOCK_TIME_MS },
    orchestrator: { host: '127.0.0.1', port: input.servicePort, secret: input.secret, ticketEV: (input.ticketEV ?? DEV_TICKET_EV).toString(), pricePerUnit: DEV_PIXEL_PRICE.toString(), pixelsPerUnit: '1' },
    // Loaded on the orchestrator even without the worker role: the plugins declare what it sells.
    plugins: { ...workPlugins(DEV_TRANSCODE_SESSIONS, input.echoCapacity), ...(input.ai === true ? aiRunnerPlugins() : {}), ...(input.byoc !== undefined ? byocPlugins(input.byoc) : {}) },
    capabilities: { 'byoc/echo': { capacity: input.echoCapacity ?? 8, price: { pricePerUnit: DEV_ECHO_PRICE_PER_SECOND.toString(), pixelsPerUnit: '1' } } },
  };
}

export interface WorkerConfigInput {
  /** The orchestrator it works for (its Redis prefix). */
  readonly orchestrator: number;
  readonly index: number;
  readonly redisUrl: string;
  readonly httpPort: number;
  readonly dataDir: string;
}

/**
 * A worker process of one orchestrator: the same plugins on the same Redis
 * prefix, one transcode session. It fetches segments from the orchestrator's
 * blob store over HTTP and serves its renditions from its own HTTP edge.
 */
export function workerConfig(input: WorkerConfigInput): Record<string, unknown> {
  return {
    node: { name: `worker-${input.orchestrator}-${input.index}`, roles: ['worker'], dataDir: input.dataDir },
    log: { level: 'info' },
    http: { host: '127.0.0.1', port: input.httpPort },
    redis: { url: input.redisUrl, prefix: `{lpx-o${input.orchestrator}}`, connectTimeoutMs: DEV_REDIS_CONNECT_TIMEOUT_MS },
    plugins: workPlugins(1),
    capabilities: { 'byoc/echo': { capacity: 8, price: { pricePerUnit: DEV_ECHO_PRICE_PER_SECOND.toString(), pixelsPerUnit: '1' } } },
  };
}

export interface GatewayConfigInput {
  readonly redisUrl: string;
  readonly chain: DevChainRef;
  readonly privateKey: string;
  readonly httpPort: number;
  readonly dataDir: string;
  readonly orchestrators: readonly string[];
  /** gateway.tenants (ADR 0017): name → key hashes and budget; none: an open, loopback-only gateway. */
  readonly tenants?: Readonly<Record<string, { keys: string[]; budget?: { spendPerPeriod: string; periodSeconds: number } }>>;
  /** Route AI: the pipeline plugins and the OpenAI-compatible API (`lpx dev up --ai`). */
  readonly ai?: boolean;
  /** The orchestrators' ticket EV when not DEV_TICKET_EV: the EV limits follow it. */
  readonly ticketEV?: bigint;
}

export function gatewayConfig(input: GatewayConfigInput): Record<string, unknown> {
  return {
    node: { name: 'gateway', roles: ['gateway'], dataDir: input.dataDir },
    log: { level: 'info' },
    http: { host: '127.0.0.1', port: input.httpPort },
    redis: { url: input.redisUrl, prefix: '{lpx-g}', connectTimeoutMs: DEV_REDIS_CONNECT_TIMEOUT_MS },
    // Short locks: a gateway killed in a drill has its route jobs picked up by the next one within seconds.
    jobs: { lockDurationMs: 5_000, stalledIntervalMs: 2_000 },
    chain: { ...input.chain, privateKey: input.privateKey },
    gateway: {
      maxOrchestratorAttempts: 3,
      requestTimeoutMs: 15_000,
      poolRefreshMs: 10_000,
      // The dev orchestrators' ticket EV is far above go-livepeer's defaults (so a short run wins tickets).
      maxTicketEV: ((input.ticketEV ?? DEV_TICKET_EV) * 2n).toString(),
      maxTotalEV: ((input.ticketEV ?? DEV_TICKET_EV) * 200n).toString(),
      // A dev network lives on loopback, and so do its test receivers; a configured gateway refuses loopback (ADR 0019).
      webhooks: { allowCidrs: ['127.0.0.0/8', '::1/128'] },
      ...(input.tenants !== undefined && Object.keys(input.tenants).length > 0 ? { tenants: input.tenants } : {}),
    },
    plugins: {
      'discovery-static': { module: moduleFile('@lpx/plugin-discovery-static'), config: { orchAddr: [...input.orchestrators] } },
      'selection-stake': { module: moduleFile('@lpx/plugin-selection-stake') },
      // go-livepeer's HTTP push ingest (/live/<stream>/<seq>.ts) and HLS (/stream/<stream>.m3u8), default ladder.
      'video-ingest': { module: moduleFile('@lpx/plugin-video-ingest') },
      // go-livepeer's AI routes (/text-to-image, /llm...) and OpenAI's /v1 on the same port.
      ...(input.ai === true ? { ...pipelinePlugins(), 'gateway-openai': { module: moduleFile('@lpx/plugin-gateway-openai') } } : {}),
    },
  };
}
