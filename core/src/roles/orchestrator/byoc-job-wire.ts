/**
 * `coreServices.orchestratorWire.byocJobs`: the BYOC job wire's header check,
 * price and payment step for plugins serving BYOC routes the kernel does not
 * (`/ai/stream/*`, plugins/byoc-stream). The same functions the kernel's own
 * `/process/request` and `/process/token` use, so a stream and a job are
 * verified, quoted and credited alike (docs/adr/0047-byoc-streams-on-the-orchestrator.md).
 */
import { errors, type ByocJobWire, type CapabilityDescriptor, type VerifiedByocJob, type WirePrice } from '@lpx/sdk';
import type { JobPayments } from '../../network/byoc/byoc-types.js';
import { creditJobPayment } from '../../network/byoc/job-payment-gate.js';
import { parseAddress, SignatureVerifier } from '../../payments/index.js';
import { verifyByocJobHeader } from './byoc-job-verify.js';
import { capabilityIdFor } from './worker-dispatch.js';

export { unstartedByocJobWire, verifyByocJobHeader } from './byoc-job-verify.js';

export interface CapabilityLookup {
  get(id: string): CapabilityDescriptor | undefined;
}

/**
 * The per-second price of a BYOC capability name, as the registry holds it.
 * lpx has no per-sender BYOC prices yet (go-livepeer's job price by sender):
 * every sender is quoted this one.
 */
export function byocJobPrice(capabilities: CapabilityLookup, capability: string): WirePrice | undefined {
  const price = capabilities.get(capabilityIdFor(capability))?.price;
  return price === undefined ? undefined : { pricePerUnit: BigInt(price.pricePerUnit), pixelsPerUnit: BigInt(price.pixelsPerUnit ?? '1') };
}

export interface ByocJobWireDeps {
  readonly capabilities: CapabilityLookup;
  /** Absent on an offchain node: nothing is priced, every payment step is a no-op. */
  readonly payments?: JobPayments;
}

export function createByocJobWire(deps: ByocJobWireDeps): ByocJobWire {
  const verifier = new SignatureVerifier();
  const { payments } = deps;
  return {
    verify: (header) => verifyByocJobHeader(header, verifier),
    priceFor: (capability) => (payments === undefined ? undefined : byocJobPrice(deps.capabilities, capability)),
    async pay(input) {
      if (payments === undefined) return;
      await creditJobPayment(payments, parseAddress(input.sender), input.capability, input.payment);
    },
  };
}

/** Before the role starts (and on nodes without it): headers verify, nothing is priced, no payment is taken. */
