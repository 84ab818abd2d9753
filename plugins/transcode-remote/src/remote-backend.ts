/**
 * The `remote` transcode backend: tasks go to go-livepeer `-transcoder`
 * nodes registered with this orchestrator (go-livepeer's transcodeSeg with a
 * RemoteTranscoderManager). The source is served from the plugin's store at
 * a /stream URL on the orchestrator's port, the task rides the registration
 * stream, and the renditions come back on /transcodeResults; they are checked
 * as go-livepeer checks them (one per profile, each at least 25 bytes) and
 * written to the task's output directory. Signing, storing and the URLs the
 * gateway sees are the kernel's business, not this backend's.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors, type OrchestratorWireService, type Rendition, type TranscodeBackend, type TranscodeBackendStatus, type TranscodeOutput, type TranscodeTask } from '@lpx/sdk';
import type { RemoteTranscoderPool } from './pool/remote-transcoder-pool.js';
import type { SegmentStore } from './http/segment-store.js';
import { STREAM_PATH_PREFIX } from './http/stream-route.js';
import { checkInput, checkProfiles } from './input-check.js';
import { codecsOf, jobCapabilitiesFor } from './wire/capabilities.js';
import type { TaskSegData } from './wire/register-messages.js';
import { profilesField, wireProfile } from './wire/wire-profiles.js';
import { INVALID_PROFILES, MIN_RENDITION_BYTES, TRANSCODER_TEXT } from './wire/wire-texts.js';

export const REMOTE_BACKEND_NAME = 'remote';

export const REASON = {
  noSecret: 'orchestrator.secret is not set',
  noTranscoder: 'no go-livepeer transcoder has registered with orchestrator.secret',
  notOrchestrator: 'this node does not run the orchestrator role, so no transcoder can register with it',
} as const;

export interface RemoteBackendOptions {
  readonly pool: RemoteTranscoderPool;
  readonly store: SegmentStore;
  readonly wire: OrchestratorWireService;
}

const EXTENSION = { mpegts: 'ts', mp4: 'mp4' } as const;
const CONTENT_TYPE = { mpegts: 'video/mp2t', mp4: 'video/mp4' } as const;

/** A file name inside the task's directory for rendition `index`; profile names are the gateway's, so never used raw. */
function renditionFile(index: number, name: string, format: TranscodeTask['profiles'][number]['format']): string {
  return `${index}-${name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}.${EXTENSION[format]}`;
}

export class RemoteTranscodeBackend implements TranscodeBackend {
  readonly name = REMOTE_BACKEND_NAME;
  readonly #options: RemoteBackendOptions;
  readonly #listeners = new Set<(status: TranscodeBackendStatus) => void>();

  constructor(options: RemoteBackendOptions) {
    this.#options = options;
  }

  /** The pool calls this on every registration, departure and session load change. */
  changed(): void {
    const status = this.status();
    for (const listener of this.#listeners) listener(status);
  }

  status(): TranscodeBackendStatus {
    const { pool, wire } = this.#options;
    const none = { available: false, capacity: 0, decode: [], encode: [], formats: [] } as const;
    if (!wire.enabled) return { ...none, reason: REASON.notOrchestrator };
    if (!wire.secretConfigured) return { ...none, reason: REASON.noSecret };
    const entries = pool.entries;
    if (entries.length === 0) return { ...none, reason: REASON.noTranscoder };
    const union: bigint[] = [];
    for (const entry of entries) entry.capabilities.bitstring.forEach((word, i) => (union[i] = (union[i] ?? 0n) | word));
    const { capacity } = pool.stats();
    return {
      available: true,
      capacity,
      ...codecsOf(union),
      devices: entries.map((entry) => ({ id: `transcoder-${entry.id}`, name: entry.link.peer, capacity: entry.capacity, load: entry.load })),
    };
  }

  async probe(_signal: AbortSignal): Promise<TranscodeBackendStatus> {
    return this.status();
  }

  watch(listener: (status: TranscodeBackendStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  async transcode(task: TranscodeTask): Promise<TranscodeOutput> {
    const { pool, store, wire } = this.#options;
    const { sessionId, seq, profiles, input, signal } = task;
    if (signal.aborted) throw errors.transcode.CANCELLED.create('the transcode task was cancelled before it started');
    const status = this.status();
    if (!status.available) throw errors.transcode.BACKEND_UNAVAILABLE.create(`the remote backend is unavailable: ${status.reason}`, { details: { backend: this.name, reason: status.reason } });
    const serviceUri = wire.serviceUri();
    if (serviceUri === undefined) throw errors.transcode.BACKEND_UNAVAILABLE.create("the orchestrator's port is not open yet: remote transcoders cannot fetch the source");
    checkProfiles(profiles);
    const source = await readFile(input.path);
    checkInput(source, input.format);
    if (signal.aborted) throw errors.transcode.CANCELLED.create('the transcode task was cancelled');
    const sourceKey = store.put(sessionId, ['source', `${seq}.tempfile`], source, CONTENT_TYPE[input.format]);
    const url = new URL(`${STREAM_PATH_PREFIX}${sourceKey}`, serviceUri).toString();
    const ladder = profiles.map(wireProfile);
    const capabilities = jobCapabilitiesFor(profiles);
    const segData: TaskSegData = { manifestId: sessionId, seq: BigInt(seq), durationMs: input.durationMs, sessionId, capabilities, profilesField: profilesField(ladder), profiles: ladder };
    let result;
    try {
      result = await pool.transcode({
        sessionId,
        capabilities,
        durationMs: input.durationMs,
        signal,
        notify: (taskId) => ({ url, segData, taskId, orchId: wire.address() ?? 'offchain', profiles: INVALID_PROFILES }),
      });
    } finally {
      store.delete(sourceKey);
    }

    const { renditions: received } = result;
    if (received.length !== profiles.length) {
      throw errors.transcoder.RESULT_INVALID.create(TRANSCODER_TEXT.mismatchedSegments, { details: { expected: profiles.length, received: received.length } });
    }
    if (received.some((r) => r.data.length < MIN_RENDITION_BYTES)) throw errors.transcoder.RESULT_INVALID.create(TRANSCODER_TEXT.zeroSegments);
    if (signal.aborted) throw errors.transcode.CANCELLED.create('the transcode task was cancelled');

    const renditions: Rendition[] = [];
    for (const [i, profile] of profiles.entries()) {
      const got = received[i]!;
      const path = join(task.outputDir, renditionFile(i, profile.name, profile.format));
      await writeFile(path, got.data);
      const area = BigInt(profile.width) * BigInt(profile.height);
      // The transcoder reports pixels (w × h × frames), not frames; frames follow from the profile's size.
      renditions.push({ profile: profile.name, path, width: profile.width, height: profile.height, frames: area > 0n ? Number(got.pixels / area) : 0, pixels: got.pixels });
    }
    return { renditions, decodedPixels: result.decodedPixels };
  }

  endSession(sessionId: string): void {
    this.#options.pool.endSession(sessionId);
    this.#options.store.deleteSession(sessionId);
  }

  async close(): Promise<void> {
    this.#options.pool.close();
  }
}
