import type Dockerode from 'dockerode';
import { CONTAINER_OWNER_LABEL, errors, type ContainerInfo, type ContainerRuntimeContext, type ContainerSpec } from '@lpx/sdk';
import { bounded, type EngineHttpError } from './bounded.js';
import { demultiplexLogs, toContainerInfo } from './container-info.js';
import { createOptions, validateSpec, type CreateContext } from './create-options.js';

/** Engine answers that mean "no such container". */
const missing = (http: EngineHttpError) => http.statusCode === 404;

/** Containers on one engine through dockerode; every call bounded by callMs. */
export class DockerContainers {
  readonly #docker: Dockerode;
  readonly #callMs: number;
  readonly #network: () => string | undefined;

  constructor(docker: Dockerode, callMs: number, network: () => string | undefined) {
    this.#docker = docker;
    this.#callMs = callMs;
    this.#network = network;
  }

  async create(spec: ContainerSpec, context: CreateContext): Promise<ContainerInfo> {
    validateSpec(spec);
    const created = await bounded(`create container ${spec.name}`, this.#callMs, (signal) => this.#docker.createContainer({ ...createOptions(spec, context, this.#network()), abortSignal: signal }), {
      map: (http) => {
        if (http.statusCode === 409) return errors.containers.NAME_IN_USE.create(`container name ${spec.name} is in use on the engine: ${http.message}`, { details: { name: spec.name } });
        if (http.statusCode === 404 && /image/i.test(http.message)) return errors.containers.IMAGE_NOT_FOUND.create(`image ${spec.image} is not present on the engine (ensureImage first): ${http.message}`, { details: { image: spec.image } });
        if (http.statusCode === 400) return errors.containers.SPEC_INVALID.create(`the engine refused container ${spec.name}: ${http.message}`, { details: { name: spec.name } });
        return undefined;
      },
    });
    return this.#mustInspect(created.id);
  }

  async start(id: string): Promise<ContainerInfo> {
    await bounded(`start container ${id}`, this.#callMs, (signal) => this.#docker.getContainer(id).start({ abortSignal: signal }), {
      map: (http) => {
        if (http.statusCode === 304) return alreadyDone;
        if (missing(http)) return notFound(id);
        return errors.containers.START_FAILED.create(`the engine could not start container ${id}: ${http.message}`, { details: { id } });
      },
    }).catch(async (error: unknown) => {
      if (error === alreadyDone) return;
      if (errors.containers.START_FAILED.is(error)) {
        // The container's own last words usually say more than the engine's.
        const tail = await this.logs(id, { tail: 20 }).catch(() => '');
        if (tail.trim() !== '') throw errors.containers.START_FAILED.create(`${error.message}; last log lines: ${tail.trim()}`, { details: { id } });
      }
      throw error;
    });
    return this.#mustInspect(id);
  }

  async stop(id: string, options: { readonly timeoutMs?: number } = {}): Promise<void> {
    const graceMs = options.timeoutMs ?? 10_000;
    await bounded(`stop container ${id}`, this.#callMs + graceMs, (signal) => this.#docker.getContainer(id).stop({ t: Math.ceil(graceMs / 1000), abortSignal: signal }), {
      map: (http) => (http.statusCode === 304 ? alreadyDone : missing(http) ? notFound(id) : undefined),
    }).catch((error: unknown) => {
      if (error !== alreadyDone) throw error;
    });
  }

  async remove(id: string, options: { readonly force?: boolean } = {}): Promise<void> {
    await bounded(`remove container ${id}`, this.#callMs, (signal) => this.#docker.getContainer(id).remove({ force: options.force === true, v: true, abortSignal: signal }), {
      map: (http) => {
        if (missing(http)) return alreadyDone;
        // A concurrent remove of the same container: it is going away, which is what was asked.
        if (http.statusCode === 409 && /already in progress/i.test(http.message)) return alreadyDone;
        if (http.statusCode === 409) return errors.containers.ENGINE_ERROR.create(`container ${id} is running: stop it first or remove with force (${http.message})`, { details: { id } });
        return undefined;
      },
    }).catch((error: unknown) => {
      if (error !== alreadyDone) throw error;
    });
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    try {
      return toContainerInfo(await bounded(`inspect container ${id}`, this.#callMs, (signal) => this.#docker.getContainer(id).inspect({ abortSignal: signal }), { map: (http) => (missing(http) ? alreadyDone : undefined) }));
    } catch (error) {
      if (error === alreadyDone) return undefined;
      throw error;
    }
  }

  async logs(id: string, options: { readonly tail?: number } = {}): Promise<string> {
    const buffer = await bounded(
      `logs of container ${id}`,
      this.#callMs,
      (signal) => this.#docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, ...(options.tail !== undefined ? { tail: options.tail } : {}), abortSignal: signal }),
      { map: (http) => (missing(http) ? notFound(id) : undefined) },
    );
    return demultiplexLogs(Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)));
  }

  async list(context: ContainerRuntimeContext, labels: Readonly<Record<string, string>> = {}): Promise<ContainerInfo[]> {
    const filters = [`${CONTAINER_OWNER_LABEL}=${context.ownerId}`, ...Object.entries(labels).map(([key, value]) => `${key}=${value}`)];
    const summaries = await bounded('list containers', this.#callMs, (signal) => this.#docker.listContainers({ all: true, filters: { label: filters }, abortSignal: signal }));
    const infos = await Promise.all(summaries.map((summary) => this.inspect(summary.Id)));
    // One removed between the list and its inspect is simply gone.
    return infos.filter((info): info is ContainerInfo => info !== undefined).sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  }

  async #mustInspect(id: string): Promise<ContainerInfo> {
    const info = await this.inspect(id);
    if (info === undefined) throw notFound(id);
    return info;
  }
}

/** Sentinel for answers that mean "nothing to do" (304 Not Modified, 404 on remove). */
const alreadyDone = errors.containers.NOT_FOUND.create('nothing to do');

function notFound(id: string) {
  return errors.containers.NOT_FOUND.create(`no container ${id} on the engine`, { details: { id } });
}
