import { createServiceRef } from '../refs/service-ref.js';

/**
 * go-livepeer's trickle protocol server on the orchestrator's front door
 * (`/ai/trickle/`), provided by the `trickle` plugin to the plugins that
 * need realtime channels (Live Runner sessions, BYOC streams, live video).
 * Channels are created here, in-process (the server's autocreate is off,
 * as on a go-livepeer orchestrator); publishers and subscribers then speak
 * HTTP to the channel URLs (clients: `@lpx/sdk/trickle-kit`).
 */
export interface TrickleChannel {
  /** Opaque name: possession of a channel URL is the credential, so names are random. */
  readonly name: string;
  readonly mimeType: string;
  /** `{serviceUri}/ai/trickle/{name}`: for clients outside the node. */
  readonly url: string;
  /** The same channel at the address runners reach (`liveRunnerAddr`, else the service URI). */
  readonly internalUrl: string;
}

export interface TrickleChannelOptions {
  /** Default `application/octet-stream`. */
  readonly mimeType?: string;
  /** Exempt from the idle sweep (go-livepeer: names starting with `_`). */
  readonly keepIdle?: boolean;
}

/** An in-process handle on a channel (go-livepeer's local publisher / subscriber). */
export interface TrickleLocalChannel {
  /** Writes one whole segment; resolves with its sequence number. */
  publish(data: Uint8Array | string): Promise<number>;
  /** Reads segments from `seq` (-1: the next one written) until the channel closes or the signal aborts. */
  subscribe(options?: { readonly seq?: number; readonly signal?: AbortSignal }): AsyncIterable<{ readonly seq: number; readonly data: Uint8Array }>;
  close(): Promise<void>;
}

export interface TrickleService {
  /** False on nodes without the orchestrator role (no front door to mount on). */
  readonly enabled: boolean;
  /** Creates a channel (idempotent for an existing name: returns it). `name` defaults to a random one. */
  create(options?: TrickleChannelOptions & { readonly name?: string }): Promise<TrickleChannel>;
  /** Closes and removes it; unknown names are not an error. */
  remove(name: string): Promise<void>;
  exists(name: string): boolean;
  local(name: string): TrickleLocalChannel;
  /** Called with the channel names the idle sweep removed. */
  onRemoved(listener: (names: readonly string[]) => void): () => void;
}

export const trickleServiceRef = createServiceRef<TrickleService>({ id: 'trickle.channels' });
