/**
 * A TEST DOUBLE of a go-livepeer remote transcoder (`livepeer -transcoder
 * -orchAddr … -orchSecret …`), standing in for the real binary, which this
 * machine does not have (nor ffmpeg). It follows go-livepeer's transcoder side
 * of the protocol: RegisterTranscoder over TLS without verification, a stream
 * of NotifySegment read with its own .proto, an empty-url notify taken as
 * session teardown, the source downloaded over HTTPS (insecure), and results
 * posted to /transcodeResults with go-livepeer's headers and multipart layout.
 * The "transcode" is deterministic: each rendition is the input followed by
 * the profile name, with a Pixels header derived from the profile size.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor, Metadata, type ClientReadableStream, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { Agent, request } from 'undici';

const root = protobuf.loadSync(fileURLToPath(new URL('./go-transcoder-double.proto', import.meta.url)));
const RegisterRequest = root.lookupType('net.RegisterRequest');
const NotifySegment = root.lookupType('net.NotifySegment');

export interface DoubleProfile {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** 0: keep the source rate. */
  readonly fps: number;
}

export interface DoubleTask {
  readonly taskId: string;
  readonly url: string;
  readonly orchId: string;
  readonly profilesField: string;
  readonly sessionId: string;
  readonly manifestId: string;
  readonly seq: string;
  readonly durationMs: number;
  readonly profiles: readonly DoubleProfile[];
}

/** What the double does with a task: go-livepeer's flow, or a scripted failure. */
export type DoubleBehavior =
  | { readonly kind: 'transcode'; readonly dropProfiles?: number; readonly tinyOutputs?: boolean }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'disconnect' }
  /** The caller's own transcode of the downloaded source (e.g. real ffmpeg), posted like go-livepeer posts it. */
  | { readonly kind: 'custom'; readonly run: (input: Buffer, task: DoubleTask) => Promise<CustomOutcome> };

export type CustomOutcome = { readonly renditions: readonly { readonly data: Buffer; readonly pixels: bigint }[]; readonly decodedPixels: bigint } | { readonly error: string };

export interface GoTranscoderDoubleOptions {
  /** host:port of the orchestrator, as go-livepeer's -orchAddr. */
  readonly orchAddr: string;
  readonly secret: string;
  readonly capacity: number;
  /** Absent: a legacy transcoder that advertises no capabilities. */
  readonly capabilities?: { readonly bitstring: readonly bigint[]; readonly version?: string };
  readonly behavior?: (task: DoubleTask) => DoubleBehavior;
}

const insecure = new Agent({ connect: { rejectUnauthorized: false }, allowH2: true });
const Client = makeGenericClientConstructor({}, 'Transcoder');
const raw = (b: Buffer): Buffer => b;

function renditionFor(input: Uint8Array, profile: DoubleProfile, tiny: boolean): Uint8Array {
  return tiny ? Buffer.from(profile.name.slice(0, 4)) : Buffer.concat([Buffer.from(input), Buffer.from(`|${profile.name}|deterministic-rendition`)]);
}

/** go-livepeer's result layout: one part per rendition with its own Pixels header. */
function multipartOf(renditions: readonly { readonly data: Uint8Array; readonly pixels: bigint }[]): [string, Buffer] {
  const boundary = randomBytes(16).toString('hex');
  const chunks: Buffer[] = [];
  for (const r of renditions) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: video/mp2t\r\nContent-Length: ${r.data.length}\r\nPixels: ${r.pixels}\r\n\r\n`), Buffer.from(r.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return [`multipart/mixed; boundary=${boundary}`, Buffer.concat(chunks)];
}

export function renditionPixels(profile: Pick<DoubleProfile, 'width' | 'height'>): bigint {
  return BigInt(profile.width * profile.height * 60);
}

export class GoTranscoderDouble {
  readonly tasks: DoubleTask[] = [];
  readonly teardowns: string[] = [];
  /** Resolves with the final status of the registration stream. */
  readonly ended: Promise<StatusObject>;
  readonly #options: GoTranscoderDoubleOptions;
  readonly #client: InstanceType<typeof Client>;
  readonly #call: ClientReadableStream<Buffer>;
  readonly #posts: Promise<unknown>[] = [];
  #taskListeners: ((task: DoubleTask) => void)[] = [];

  constructor(options: GoTranscoderDoubleOptions) {
    this.#options = options;
    this.#client = new Client(options.orchAddr, credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined }));
    const body: Record<string, unknown> = { secret: options.secret, capacity: options.capacity };
    if (options.capabilities !== undefined) {
      body['capabilities'] = { bitstring: options.capabilities.bitstring.map(String), version: options.capabilities.version ?? '' };
    }
    const bytes = Buffer.from(RegisterRequest.encode(RegisterRequest.fromObject(body)).finish());
    this.#call = this.#client.makeServerStreamRequest('/net.Transcoder/RegisterTranscoder', raw, raw, bytes, new Metadata(), {});
    this.ended = new Promise((resolve) => this.#call.on('status', resolve));
    this.#call.on('error', (_error: ServiceError) => undefined);
    this.#call.on('data', (message: Buffer) => this.#onNotify(message));
  }

  /** The next task this double receives. */
  nextTask(): Promise<DoubleTask> {
    return new Promise((resolve) => this.#taskListeners.push(resolve));
  }

  /** Cancels the stream, as go-livepeer's transcoder does on SIGTERM. */
  disconnect(): void {
    this.#call.cancel();
  }

  async close(): Promise<void> {
    this.#call.cancel();
    await Promise.allSettled(this.#posts);
    this.#client.close();
  }

  #onNotify(message: Buffer): void {
    const n = NotifySegment.toObject(NotifySegment.decode(message), { longs: String, bytes: String, defaults: true }) as Record<string, any>;
    const segData = n['segData'] as Record<string, any> | undefined;
    const sessionId = (segData?.['authToken']?.['sessionId'] as string | undefined) ?? '';
    if (n['url'] === '' && sessionId !== '') {
      this.teardowns.push(sessionId);
      return;
    }
    const wire = (segData?.['fullProfiles3']?.length ? segData['fullProfiles3'] : segData?.['fullProfiles2']?.length ? segData['fullProfiles2'] : segData?.['fullProfiles'] ?? []) as Record<string, any>[];
    const task: DoubleTask = {
      taskId: n['taskId'] as string,
      url: n['url'] as string,
      orchId: n['orchId'] as string,
      profilesField: Buffer.from(n['profiles'] as string, 'base64').toString('latin1'),
      sessionId,
      manifestId: Buffer.from((segData?.['manifestId'] as string | undefined) ?? '', 'base64').toString('utf8'),
      seq: (segData?.['seq'] as string | undefined) ?? '0',
      durationMs: (segData?.['duration'] as number | undefined) ?? 0,
      profiles: wire.map((p) => ({ name: p['name'] as string, width: p['width'] as number, height: p['height'] as number, fps: p['fps'] as number })),
    };
    this.tasks.push(task);
    const listeners = this.#taskListeners;
    this.#taskListeners = [];
    for (const listener of listeners) listener(task);
    this.#posts.push(this.#run(task).catch(() => undefined));
  }

  async #run(task: DoubleTask): Promise<void> {
    const behavior = this.#options.behavior?.(task) ?? { kind: 'transcode' };
    if (behavior.kind === 'hang') return;
    if (behavior.kind === 'disconnect') return this.disconnect();
    if (behavior.kind === 'error') return void (await this.postResult(task.taskId, 'livepeer/transcoding-error', Buffer.from(behavior.text), 0n));
    const source = await request(task.url, { dispatcher: insecure });
    if (source.statusCode !== 200) {
      await source.body.dump();
      return void (await this.postResult(task.taskId, 'livepeer/transcoding-error', Buffer.from(`source answered ${source.statusCode}`), 0n));
    }
    const input = Buffer.from(await source.body.arrayBuffer());
    if (behavior.kind === 'custom') {
      const outcome = await behavior.run(input, task).catch((error: unknown) => ({ error: String(error) }));
      if ('error' in outcome) return void (await this.postResult(task.taskId, 'livepeer/transcoding-error', Buffer.from(outcome.error), 0n));
      return void (await this.postResult(task.taskId, ...multipartOf(outcome.renditions), outcome.decodedPixels));
    }
    const profiles = task.profiles.slice(0, task.profiles.length - (behavior.dropProfiles ?? 0));
    const renditions = profiles.map((profile) => ({ data: renditionFor(input, profile, behavior.tinyOutputs === true), pixels: renditionPixels(profile) }));
    await this.postResult(task.taskId, ...multipartOf(renditions), BigInt(input.length) * 100n);
  }

  /** A POST /transcodeResults as go-livepeer's sendTranscodeResult makes it. */
  async postResult(taskId: string, contentType: string, body: Buffer, decodedPixels: bigint, secret = this.#options.secret): Promise<{ status: number; text: string }> {
    const res = await request(`https://${this.#options.orchAddr}/transcodeResults`, {
      method: 'POST',
      dispatcher: insecure,
      headers: { authorization: 'Livepeer-Transcoder-1.0', credentials: secret, 'content-type': contentType, taskid: taskId, pixels: decodedPixels.toString() },
      body,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }
}
