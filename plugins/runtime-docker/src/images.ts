import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { pack } from 'tar-fs';
import { errors, type ImageInfo, type ImageSpec } from '@lpx/sdk';
import { bounded } from './bounded.js';

export interface ImageTimeouts {
  /** Inspect, remove. */
  readonly callMs: number;
  /** Pull, import, build: whole operation. */
  readonly buildMs: number;
}

export interface EnsureOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (line: string) => void;
}

/** How many output lines a failed build reports. */
const TAIL_LINES = 20;

/** `repo[:tag]` split the way the engine reads it (a port in the registry host is not a tag). */
export function splitRef(ref: string): { repo: string; tag: string } {
  if (ref.includes('@')) throw errors.containers.SPEC_INVALID.create(`image ${ref}: a digest reference cannot be imported or built; use name:tag`);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref, tag: 'latest' };
}

export class DockerImages {
  readonly #docker: Dockerode;
  readonly #timeouts: ImageTimeouts;

  constructor(docker: Dockerode, timeouts: ImageTimeouts) {
    this.#docker = docker;
    this.#timeouts = timeouts;
  }

  async inspect(ref: string): Promise<ImageInfo | undefined> {
    try {
      const info = await bounded(`inspect image ${ref}`, this.#timeouts.callMs, () => this.#docker.getImage(ref).inspect(), {
        map: (http) => (http.statusCode === 404 ? notFound : undefined),
      });
      return { ref, id: info.Id, sizeBytes: info.Size, labels: { ...(info.Config?.Labels ?? {}) } };
    } catch (error) {
      if (error === notFound) return undefined;
      throw error;
    }
  }

  async remove(ref: string): Promise<void> {
    try {
      await bounded(`remove image ${ref}`, this.#timeouts.callMs, (signal) => this.#docker.getImage(ref).remove({ abortSignal: signal } as object), {
        map: (http) => (http.statusCode === 404 ? notFound : undefined),
      });
    } catch (error) {
      if (error !== notFound) throw error;
    }
  }

  /** No-op when present; else pulled, imported or built per the source, then inspected. */
  async ensure(spec: ImageSpec, options: EnsureOptions = {}): Promise<ImageInfo> {
    const present = await this.inspect(spec.ref);
    if (present !== undefined) return present;
    const source = spec.source;
    switch (source.kind) {
      case 'present':
        throw errors.containers.IMAGE_NOT_FOUND.create(`image ${spec.ref} is not present on the engine (its source is 'present': build or import it first)`, { details: { ref: spec.ref } });
      case 'pull':
        await this.#pull(spec.ref, options);
        break;
      case 'import':
        await this.#import(spec, source.tarPath, source.changes ?? [], options);
        break;
      case 'build':
        await this.#build(spec, source.contextDir, source.dockerfile, source.buildArgs, options);
        break;
      case 'load':
        await this.#load(spec, source.tarPath, options);
        break;
      default:
        throw errors.containers.SPEC_INVALID.create(`image ${spec.ref}: unknown source kind ${JSON.stringify((source as { kind?: unknown }).kind)}`);
    }
    const made = await this.inspect(spec.ref);
    if (made === undefined) throw errors.containers.IMAGE_BUILD_FAILED.create(`image ${spec.ref}: the engine reported success but has no such image`, { details: { ref: spec.ref } });
    return made;
  }

  async #pull(ref: string, options: EnsureOptions): Promise<void> {
    const lines = await bounded(`pull ${ref}`, this.#timeouts.buildMs, async (signal) => follow(this.#docker, await this.#docker.pull(ref, { abortSignal: signal }), options.onProgress), {
      ...(options.signal ? { signal: options.signal } : {}),
      // Every registry failure (no route, no DNS, unknown repository) means the image cannot be had.
      map: (http) => pullRefused(ref, http.message),
    });
    const failed = lines.find((line) => line.error !== undefined);
    if (failed) throw pullRefused(ref, failed.error!);
  }

  async #import(spec: ImageSpec, tarPath: string, changes: readonly string[], options: EnsureOptions): Promise<void> {
    const file = await stat(tarPath).catch(() => undefined);
    if (file === undefined || !file.isFile()) throw errors.containers.IMAGE_NOT_FOUND.create(`image ${spec.ref}: root filesystem tarball ${tarPath} does not exist`, { details: { ref: spec.ref, tarPath } });
    const { repo, tag } = splitRef(spec.ref);
    // Labels ride along as LABEL changes: import has no other way to set them.
    const all = [...changes, ...Object.entries(spec.labels ?? {}).map(([key, value]) => `LABEL ${JSON.stringify(key)}=${JSON.stringify(value)}`)];
    const lines = await bounded(
      `import ${spec.ref}`,
      this.#timeouts.buildMs,
      async (signal) => follow(this.#docker, await this.#docker.importImage(createReadStream(tarPath), { repo, tag, ...(all.length ? { changes: all } : {}), abortSignal: signal } as object), options.onProgress),
      { ...(options.signal ? { signal: options.signal } : {}), map: (http) => buildFailed(spec.ref, 'import', [http.message]) },
    );
    const failed = lines.find((line) => line.error !== undefined);
    if (failed) throw buildFailed(spec.ref, 'import', [...texts(lines), failed.error!]);
  }

  /** `docker load`: the archive names its own tags, so the ref must be among them or the load is refused. */
  async #load(spec: ImageSpec, tarPath: string, options: EnsureOptions): Promise<void> {
    const file = await stat(tarPath).catch(() => undefined);
    if (file === undefined || !file.isFile()) throw errors.containers.IMAGE_NOT_FOUND.create(`image ${spec.ref}: image archive ${tarPath} does not exist`, { details: { ref: spec.ref, tarPath } });
    const lines = await bounded(
      `load ${spec.ref}`,
      this.#timeouts.buildMs,
      async (signal) => follow(this.#docker, await this.#docker.loadImage(createReadStream(tarPath), { quiet: true, abortSignal: signal } as object), options.onProgress),
      { ...(options.signal ? { signal: options.signal } : {}), map: (http) => buildFailed(spec.ref, 'load', [http.message]) },
    );
    const failed = lines.find((line) => line.error !== undefined);
    if (failed) throw buildFailed(spec.ref, 'load', [...texts(lines), failed.error!]);
    if ((await this.inspect(spec.ref)) === undefined) {
      const loaded = texts(lines).join('; ') || 'nothing';
      throw errors.containers.IMAGE_NOT_FOUND.create(`image ${spec.ref}: archive ${tarPath} does not contain it (loaded: ${loaded})`, { details: { ref: spec.ref, tarPath } });
    }
  }

  async #build(spec: ImageSpec, contextDir: string, dockerfile: string | undefined, buildArgs: Readonly<Record<string, string>> | undefined, options: EnsureOptions): Promise<void> {
    const dir = await stat(contextDir).catch(() => undefined);
    if (dir === undefined || !dir.isDirectory()) throw errors.containers.IMAGE_NOT_FOUND.create(`image ${spec.ref}: build context ${contextDir} is not a directory`, { details: { ref: spec.ref, contextDir } });
    const lines = await bounded(
      `build ${spec.ref}`,
      this.#timeouts.buildMs,
      async (signal) => {
        const stream = await this.#docker.buildImage(pack(contextDir) as unknown as NodeJS.ReadableStream, {
          t: spec.ref,
          ...(dockerfile ? { dockerfile } : {}),
          ...(buildArgs ? { buildargs: { ...buildArgs } } : {}),
          ...(spec.labels ? { labels: { ...spec.labels } } : {}),
          rm: true,
          forcerm: true,
          abortSignal: signal,
        });
        return follow(this.#docker, stream, options.onProgress);
      },
      { ...(options.signal ? { signal: options.signal } : {}), map: (http) => buildFailed(spec.ref, 'build', [http.message]) },
    );
    const failed = lines.find((line) => line.error !== undefined);
    if (failed) throw buildFailed(spec.ref, 'build', [...texts(lines), failed.error!]);
  }
}

interface ProgressLine {
  readonly stream?: string;
  readonly status?: string;
  readonly progress?: string;
  readonly id?: string;
  readonly error?: string;
}

const notFound = errors.containers.NOT_FOUND.create('image not found');

/** Reads a progress stream to its end; each readable line goes to onProgress. */
function follow(docker: Dockerode, stream: NodeJS.ReadableStream, onProgress?: (line: string) => void): Promise<ProgressLine[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: ProgressLine[]) => (error ? reject(error) : resolve(output)),
      (line: ProgressLine) => {
        const text = describe(line);
        if (text !== '' && onProgress) {
          try {
            onProgress(text);
          } catch {
            // a progress consumer's bug must not fail the build
          }
        }
      },
    );
  });
}

function describe(line: ProgressLine): string {
  if (line.stream !== undefined) return line.stream.trimEnd();
  if (line.error !== undefined) return line.error;
  return [line.id, line.status, line.progress].filter((part) => part !== undefined && part !== '').join(' ');
}

function texts(lines: readonly ProgressLine[]): string[] {
  return lines.filter((line) => line.error === undefined).flatMap((line) => describe(line).split('\n')).filter((text) => text.trim() !== '');
}

function buildFailed(ref: string, what: 'build' | 'import' | 'load', output: readonly string[]) {
  const tail = output.slice(-TAIL_LINES);
  return errors.containers.IMAGE_BUILD_FAILED.create(`${what} of ${ref} failed: ${tail.at(-1) ?? 'no output'}\n${tail.join('\n')}`, { details: { ref, output: tail } });
}

function pullRefused(ref: string, message: string) {
  return errors.containers.IMAGE_NOT_FOUND.create(`image ${ref} is not present and pulling it failed (no registry reachable from this engine?): ${message}. Build or import it instead.`, { details: { ref } });
}

