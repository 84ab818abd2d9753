import { isBitstringSubset } from './bitstring.js';
import type { LivepeerCapabilitiesInput } from './livepeer-message.js';
import { isVersionCompatible } from './livepeer-semver.js';

type PerCapability = NonNullable<NonNullable<LivepeerCapabilitiesInput['constraints']>['perCapability']>;

/**
 * go-livepeer's `Capabilities.CompatibleWith(job, orch)`, rule for rule:
 * 1. no job → incompatible;
 * 2. the job's minVersion against the O's version (see `isVersionCompatible`);
 * 3. the O's mandatories ⊆ the job's bitstring;
 * 4. per capability the job constrains, if the O constrains it too: every job
 *    model must be listed by the O, job warm ⇒ O warm, and the O's runner
 *    version must satisfy the job's;
 * 5. the job's bitstring ⊆ the O's bitstring (more job words → incompatible).
 */
export function livepeerCompatibleWith(job: LivepeerCapabilitiesInput | undefined | null, orch: LivepeerCapabilitiesInput): boolean {
  if (!job) return false;
  if (!isVersionCompatible(job.constraints?.minVersion, orch.version)) return false;
  if (!isBitstringSubset(orch.mandatories ?? [], job.bitstring ?? [])) return false;
  if (!perCapabilityCompatible(job.constraints?.perCapability ?? {}, orch.constraints?.perCapability ?? {})) return false;
  return isBitstringSubset(job.bitstring ?? [], orch.bitstring ?? []);
}

function perCapabilityCompatible(job: PerCapability, orch: PerCapability): boolean {
  for (const [capability, jobConstraints] of Object.entries(job)) {
    const orchConstraints = orch[Number(capability)];
    // An O that says nothing about a capability is assumed to accept any model.
    if (orchConstraints === undefined || jobConstraints === undefined) continue;
    const orchModels = orchConstraints.models ?? {};
    for (const [modelId, wanted] of Object.entries(jobConstraints.models ?? {})) {
      const offered = orchModels[modelId];
      if (offered === undefined) return false;
      if (wanted.warm && !offered.warm) return false;
      if (!isVersionCompatible(wanted.runnerVersion, offered.runnerVersion)) return false;
    }
  }
  return true;
}
