/**
 * coreServices.containers as one plugin sees it: the node's runtime with the
 * ownership labels stamped on everything the plugin creates, and only the
 * plugin's own containers visible (list, inspect, start, stop, logs, remove).
 */
import {
  CONTAINER_OWNER_LABEL,
  CONTAINER_PLUGIN_LABEL,
  CONTAINER_SPEC_LABEL,
  containerSpecHash,
  errors,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerRuntimeStatus,
  type ContainerSpec,
  type ContainersService,
} from '@lpx/sdk';

export interface PluginContainersInputs {
  readonly pluginId: string;
  readonly ownerId: string;
  /** The runtime once ready; rejects with UNAVAILABLE (and the reason) when none is usable. */
  readonly ready: () => Promise<ContainerRuntime>;
  readonly status: () => Promise<ContainerRuntimeStatus & { readonly runtime?: string }>;
}

const KERNEL_LABELS: ReadonlySet<string> = new Set([CONTAINER_OWNER_LABEL, CONTAINER_PLUGIN_LABEL, CONTAINER_SPEC_LABEL]);

function userLabels(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([key]) => !KERNEL_LABELS.has(key)));
}

export function pluginContainers(inputs: PluginContainersInputs): ContainersService {
  const { pluginId, ownerId, ready } = inputs;
  const ours = (info: ContainerInfo | undefined): info is ContainerInfo => info !== undefined && info.labels[CONTAINER_OWNER_LABEL] === ownerId && info.labels[CONTAINER_PLUGIN_LABEL] === pluginId;
  const notOurs = (id: string) => errors.containers.NOT_FOUND.create(`no container ${id} of plugin ${pluginId} on this node`, { details: { id, plugin: pluginId } });
  /** Resolves the container if it is this plugin's; NOT_FOUND otherwise (another plugin's or node's is as good as missing). */
  const own = async (id: string): Promise<{ runtime: ContainerRuntime; info: ContainerInfo }> => {
    const runtime = await ready();
    const info = await runtime.inspect(id);
    if (!ours(info)) throw notOurs(id);
    return { runtime, info };
  };

  return {
    status: () => inputs.status(),
    async ensureImage(spec, options) {
      const runtime = await ready();
      // Images carry the owner too, so an operator can tell what a node built; the spec's own labels cannot override it.
      return runtime.ensureImage({ ...spec, labels: { ...userLabels(spec.labels), [CONTAINER_OWNER_LABEL]: ownerId, [CONTAINER_PLUGIN_LABEL]: pluginId } }, options);
    },
    async inspectImage(ref) {
      return (await ready()).inspectImage(ref);
    },
    async create(spec: ContainerSpec) {
      const runtime = await ready();
      const clean: ContainerSpec = { ...spec, labels: userLabels(spec.labels) };
      return runtime.create(clean, { ownerId, pluginId, specHash: containerSpecHash(spec) });
    },
    async start(id) {
      const { runtime, info } = await own(id);
      return runtime.start(info.id);
    },
    async stop(id, options) {
      const { runtime, info } = await own(id);
      return runtime.stop(info.id, options);
    },
    async remove(id, options) {
      const runtime = await ready();
      const info = await runtime.inspect(id);
      if (info === undefined) return;
      if (!ours(info)) throw notOurs(id);
      return runtime.remove(info.id, options);
    },
    async inspect(id) {
      const info = await (await ready()).inspect(id);
      return ours(info) ? info : undefined;
    },
    async logs(id, options) {
      const { runtime, info } = await own(id);
      return runtime.logs(info.id, options);
    },
    async list(labels) {
      const runtime = await ready();
      const found = await runtime.list({ ownerId }, { ...userLabels(labels), [CONTAINER_PLUGIN_LABEL]: pluginId });
      // The runtime filters by label; check again so a runtime that filters loosely cannot leak another plugin's containers.
      return found.filter((info) => ours(info));
    },
  };
}
