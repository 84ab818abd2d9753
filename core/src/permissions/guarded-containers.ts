/**
 * coreServices.containers behind the plugin's `docker`, `gpu` and `fs`
 * permissions: the kernel boundary every container a plugin runs passes
 * through (docs/adr/0036-permissions-enforced.md). Without `docker` every
 * call is refused; `create` checks GPUs, bind mounts, the image, memory and
 * the number of containers against the grants before the runtime sees it.
 */
import { imageGranted } from '@lpx/registry';
import type { ContainerInfo, ContainerSpec, ContainersService, ImageSpec } from '@lpx/sdk';
import { fsGrantCovers, realHostPath } from './fs-grants.js';
import type { PluginPermissions } from './plugin-permissions.js';

export function guardedContainers(inner: ContainersService, permissions: PluginPermissions, dataDir: string): ContainersService {
  const docker = (what: string): void => permissions.require('docker', what);
  // Creates are serialised so two concurrent ones cannot both pass the maxContainers count.
  let creating: Promise<unknown> = Promise.resolve();

  const checkImage = (ref: string): void => {
    const images = permissions.grants.docker?.images;
    if (images !== undefined && !imageGranted(images, ref)) {
      throw permissions.deny('docker', `use image ${ref}`, { grant: 'grants.docker.images', details: { image: ref, images } });
    }
  };

  const checkSpec = async (spec: ContainerSpec): Promise<void> => {
    checkImage(spec.image);
    const gpus = spec.gpus ?? [];
    if (gpus.length > 0) {
      permissions.require('gpu', `give container ${spec.name} ${gpus.length} GPU(s)`, { details: { gpus } });
      const max = permissions.grants.gpu?.max;
      if (max !== undefined && gpus.length > max) throw permissions.deny('gpu', `give container ${spec.name} ${gpus.length} GPUs (at most ${max})`, { grant: 'grants.gpu.max', details: { gpus, max } });
    }
    for (const bind of spec.binds ?? []) {
      const access = bind.readOnly === true ? 'ro' : 'rw';
      const what = `bind ${realHostPath(dataDir, bind.hostPath)} (${access}) into container ${spec.name}`;
      permissions.require('fs', what, { grant: 'grants.fs.paths', details: { hostPath: bind.hostPath, access } });
      if (!fsGrantCovers(permissions.grants.fs?.paths ?? [], dataDir, bind.hostPath, access)) {
        throw permissions.deny('fs', what, { grant: 'grants.fs.paths', details: { hostPath: bind.hostPath, access, paths: permissions.grants.fs?.paths ?? [] } });
      }
    }
    const maxMemory = permissions.grants.docker?.maxMemoryBytes;
    if (maxMemory !== undefined && (spec.memoryBytes === undefined || spec.memoryBytes > maxMemory)) {
      const what = spec.memoryBytes === undefined ? `create container ${spec.name} without a memory limit` : `create container ${spec.name} with ${spec.memoryBytes} bytes of memory`;
      throw permissions.deny('docker', `${what} (at most ${maxMemory})`, { grant: 'grants.docker.maxMemoryBytes', details: { memoryBytes: spec.memoryBytes ?? null, maxMemoryBytes: maxMemory } });
    }
    const maxContainers = permissions.grants.docker?.maxContainers;
    if (maxContainers !== undefined) {
      const existing = (await inner.list()).length;
      if (existing >= maxContainers) {
        throw permissions.deny('docker', `create container ${spec.name}: it has ${existing} of at most ${maxContainers}`, { grant: 'grants.docker.maxContainers', details: { containers: existing, maxContainers } });
      }
    }
  };

  return {
    async status() {
      docker('use the container runtime');
      return inner.status();
    },
    async ensureImage(spec: ImageSpec, options) {
      docker(`prepare image ${spec.ref}`);
      checkImage(spec.ref);
      return inner.ensureImage(spec, options);
    },
    async inspectImage(ref) {
      docker(`inspect image ${ref}`);
      return inner.inspectImage(ref);
    },
    async create(spec): Promise<ContainerInfo> {
      docker(`create container ${spec.name}`);
      const run = creating.then(async () => {
        await checkSpec(spec);
        return inner.create(spec);
      });
      creating = run.catch(() => undefined);
      return run;
    },
    async start(id) {
      docker(`start container ${id}`);
      return inner.start(id);
    },
    async stop(id, options) {
      docker(`stop container ${id}`);
      return inner.stop(id, options);
    },
    async remove(id, options) {
      docker(`remove container ${id}`);
      return inner.remove(id, options);
    },
    async inspect(id) {
      docker(`inspect container ${id}`);
      return inner.inspect(id);
    },
    async logs(id, options) {
      docker(`read the logs of container ${id}`);
      return inner.logs(id, options);
    },
    async list(labels) {
      docker('list containers');
      return inner.list(labels);
    },
  };
}
