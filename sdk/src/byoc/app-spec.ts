import { Type, type Static } from '@sinclair/typebox';
import { PositiveUintString, UintString } from '../capabilities/descriptor.js';

/**
 * A BYOC partner app as its manifest declares it (`byoc` in
 * plugin.manifest.json). One contract for both wires: the legacy BYOC job
 * wire (`/capability/register`, `/process/request/*`, `/process/stream/*`)
 * and go-livepeer's Live Runner (`/apps/{runner}/...`). The operator's
 * config may override price, capacity and GPUs; the rest is the partner's.
 */

/** Capability name on the wire (go-livepeer BYOC `name`, Live Runner `app` without a slash). */
export const BYOC_APP_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';
/** An image pinned by content: Docker's image id (`sha256:` + 64 hex), which `docker load` reproduces exactly. */
export const IMAGE_DIGEST_PATTERN = '^sha256:[0-9a-f]{64}$';

/**
 * How a client talks to the app:
 * - `request-response`: one HTTP request, one answer (single-shot runner; `/process/request/*`);
 * - `sse`: one request, a `text/event-stream` answer (billed while it streams);
 * - `websocket`: an upgraded connection inside a persistent session;
 * - `live-stream`: trickle channels for media in and out (persistent session; BYOC streaming).
 */
export const ByocInteractionMode = Type.Union([Type.Literal('request-response'), Type.Literal('sse'), Type.Literal('websocket'), Type.Literal('live-stream')]);

/**
 * What one unit of payment buys, in wei (exact integers, never floats):
 * - `second`: per second of work or session time (go-livepeer BYOC, Live Runner `seconds`);
 * - `request`: a fixed price per request or per session (Live Runner `fixed`);
 * - `720p-pixel-second`: per second, scaled by output pixels relative to 720p30 (Live Runner `720p-pixel-seconds`).
 */
export const ByocPriceUnit = Type.Union([Type.Literal('second'), Type.Literal('request'), Type.Literal('720p-pixel-second')]);

export const ByocPrice = Type.Object(
  {
    unit: ByocPriceUnit,
    /** Wei per `pixelsPerUnit` units. */
    pricePerUnit: UintString,
    pixelsPerUnit: Type.Optional(PositiveUintString),
  },
  { additionalProperties: false },
);

export const ByocResources = Type.Object(
  {
    /** GPUs one instance needs; needs the `gpu` permission. */
    gpu: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 })),
    memoryBytes: Type.Optional(Type.Integer({ minimum: 1 })),
    cpus: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);

/** The app's HTTP health check: healthy when `path` answers exactly `status`. */
export const ByocHealth = Type.Object(
  {
    path: Type.String({ pattern: '^/', default: '/health' }),
    status: Type.Integer({ minimum: 100, maximum: 599, default: 200 }),
    /** How long a fresh container may take to become healthy before it counts as failed. */
    startTimeoutMs: Type.Optional(Type.Integer({ minimum: 100 })),
  },
  { additionalProperties: false },
);

/** A container the operator's node runs (needs the `docker` permission). */
export const ByocContainer = Type.Object(
  {
    /** `name:tag` the image is known by locally. */
    image: Type.String({ minLength: 1 }),
    /** The image id the loaded or built image must have; anything else is refused. */
    digest: Type.String({ pattern: IMAGE_DIGEST_PATTERN }),
    /** Path inside the plugin package of a `docker save` archive of the image (the registry signs it with the package). */
    archive: Type.Optional(Type.String({ minLength: 1 })),
    /** The port the app listens on inside the container. */
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    env: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String())),
    command: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

/** An app the partner runs elsewhere; the node proxies to it (needs the `network` permission covering its host). */
export const ByocExternal = Type.Object(
  {
    url: Type.String({ pattern: '^https?://' }),
    /** Sent as `Authorization: Bearer <token>` (go-livepeer BYOC `token`); from the operator's config, never the manifest, in practice. */
    tokenEnv: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' })),
  },
  { additionalProperties: false },
);

export const ByocAppSpec = Type.Object(
  {
    name: Type.String({ pattern: BYOC_APP_NAME_PATTERN }),
    description: Type.String({ minLength: 1, maxLength: 1024 }),
    /** JSON Schema of the request body (for request-response / sse); published in discovery metadata. */
    inputSchema: Type.Optional(Type.Object({}, { additionalProperties: true })),
    mode: ByocInteractionMode,
    /** Live Runner mode; default `single-shot` for request-response, else `persistent`. */
    session: Type.Optional(Type.Union([Type.Literal('single-shot'), Type.Literal('persistent')])),
    price: ByocPrice,
    /** Concurrent jobs or sessions one instance takes. */
    capacity: Type.Integer({ minimum: 1, maximum: 10000 }),
    resources: Type.Optional(ByocResources),
    health: Type.Optional(ByocHealth),
    /** Exactly one of `container` and `external`. */
    container: Type.Optional(ByocContainer),
    external: Type.Optional(ByocExternal),
  },
  { additionalProperties: false },
);

export type ByocInteractionMode = Static<typeof ByocInteractionMode>;
export type ByocPriceUnit = Static<typeof ByocPriceUnit>;
export type ByocPrice = Static<typeof ByocPrice>;
export type ByocResources = Static<typeof ByocResources>;
export type ByocHealth = Static<typeof ByocHealth>;
export type ByocContainer = Static<typeof ByocContainer>;
export type ByocExternal = Static<typeof ByocExternal>;
export type ByocAppSpec = Static<typeof ByocAppSpec>;

/** The capability id the registry knows the app by. */
export function byocCapabilityId(name: string): string {
  return `byoc/${name}`;
}

/** The Live Runner mode an app gets when its manifest does not say. */
export function byocSessionMode(spec: Pick<ByocAppSpec, 'mode' | 'session'>): 'single-shot' | 'persistent' {
  return spec.session ?? (spec.mode === 'request-response' ? 'single-shot' : 'persistent');
}

/** Live Runner's wire name for a price unit (`price_info.unit` in discovery). */
export function liveRunnerPriceUnit(unit: ByocPriceUnit): 'seconds' | 'fixed' | '720p-pixel-seconds' {
  return unit === 'second' ? 'seconds' : unit === 'request' ? 'fixed' : '720p-pixel-seconds';
}
