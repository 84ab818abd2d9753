import { errors, type JobsService } from '@lpx/sdk';

/**
 * What a plugin receives as `coreServices.jobs`. Submitting and observing are
 * open to every capability (a gateway plugin routes work it does not run), but
 * binding a processor is allowed only for capabilities the manifest declares:
 * the capability registry must never advertise work nobody declared.
 */
export function createPluginJobsService(kernel: JobsService, pluginId: string, declaredCapabilityIds: readonly string[], registeredAtRuntime: (capabilityId: string) => boolean = () => false): JobsService {
  const declared = new Set(declaredCapabilityIds);
  return {
    registerProcessor(capabilityId, processor, options) {
      // A capability the plugin registered at run time (CapabilitiesService.register) is declared too.
      if (!declared.has(capabilityId) && !registeredAtRuntime(capabilityId)) {
        throw errors.plugin.CAPABILITY_UNDECLARED.create(
          `plugin '${pluginId}' bound a processor for '${capabilityId}', which its manifest does not declare (declared: ${[...declared].join(', ') || 'none'})`,
          { details: { pluginId, capabilityId } },
        );
      }
      kernel.registerProcessor(capabilityId, processor, options);
    },
    submit: (capabilityId, data, options) => kernel.submit(capabilityId, data, options),
    submitAndWait: (capabilityId, data, options) => kernel.submitAndWait(capabilityId, data, options),
    getStatus: (capabilityId, jobId) => kernel.getStatus(capabilityId, jobId),
    onEvent: (capabilityId, listener) => kernel.onEvent(capabilityId, listener),
  };
}
