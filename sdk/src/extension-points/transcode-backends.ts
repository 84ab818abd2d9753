import { createExtensionPoint } from '../refs/extension-point.js';
import type { OutputFormat, TranscodeProfile, VideoCodec } from '../transcode/profiles.js';

/**
 * What a backend can do right now. `available: false` always carries a
 * reason an operator can act on ("h264_nvenc not listed by ffmpeg",
 * "no NVIDIA device: nvidia-smi not found", "test encode failed: ...").
 */
export interface TranscodeBackendStatus {
  readonly available: boolean;
  readonly reason?: string;
  /** Concurrent transcode sessions the hardware holds (0 when unavailable). */
  readonly capacity: number;
  readonly decode: readonly VideoCodec[];
  readonly encode: readonly VideoCodec[];
  readonly formats: readonly OutputFormat[];
  /** Devices in use (GPUs, VPUs, remote transcoders), for `lpx capabilities list` and /metrics. */
  readonly devices?: readonly { readonly id: string; readonly name: string; readonly capacity: number; readonly load?: number }[];
}

export interface TranscodeInput {
  /** The source segment on local disk (MPEG-TS or MP4). */
  readonly path: string;
  readonly format: OutputFormat;
  readonly sizeBytes: number;
  /** As the gateway stated it; 0 when unknown. */
  readonly durationMs: number;
}

export interface TranscodeTask {
  /** The gateway's transcode session; backends keep a session on one device where they can. */
  readonly sessionId: string;
  readonly seq: number;
  readonly input: TranscodeInput;
  /** One rendition per profile, in this order. */
  readonly profiles: readonly TranscodeProfile[];
  /** An empty directory owned by this task; renditions are written here. The kernel removes it afterwards. */
  readonly outputDir: string;
  /** Aborted on cancellation (gateway gone, worker closing, timeout): stop and clean up, reject. */
  readonly signal: AbortSignal;
}

export interface Rendition {
  readonly profile: string;
  /** A file inside the task's outputDir. */
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  /** Output pixels (width × height × frames): what the orchestrator charges for. */
  readonly pixels: bigint;
}

export interface TranscodeOutput {
  /** Same order and length as the task's profiles. */
  readonly renditions: readonly Rendition[];
  /** Pixels decoded from the source, when the backend knows them (go-livepeer's `Pixels` header). */
  readonly decodedPixels?: bigint;
}

/**
 * A way to transcode video: ffmpeg on the CPU, NVENC, Netint, remote
 * go-livepeer transcoders... The kernel probes each backend on start, sums
 * the capacity of the available ones into what the node advertises, and runs
 * every task on one backend with room. Failures are coded errors
 * (`errors.transcode.*`); a backend never throws a bare string.
 */
export interface TranscodeBackend {
  /** Stable, unique on a node: `ffmpeg`, `nvenc`, `netint`, `remote`. */
  readonly name: string;
  /** Checks the encoder is there and a one-frame test encode works; never throws (unavailable + reason instead). */
  probe(signal: AbortSignal): Promise<TranscodeBackendStatus>;
  /** Backends whose capacity moves after the probe (remote transcoders connecting) report it here; returns an unsubscribe. */
  watch?(listener: (status: TranscodeBackendStatus) => void): () => void;
  transcode(task: TranscodeTask): Promise<TranscodeOutput>;
  /** The gateway ended the session or it idled out: free what the backend held for it. */
  endSession?(sessionId: string): void;
  /** Called on node shutdown, after running tasks were cancelled. */
  close?(): Promise<void>;
}

export interface TranscodeBackendsExtensionPoint {
  addBackend(backend: TranscodeBackend): void;
}

/** Owned by the kernel, like discovery strategies and selection algorithms. */
export const transcodeBackendsExtensionPoint = createExtensionPoint<TranscodeBackendsExtensionPoint>({ id: 'transcode.backends' });
