/**
 * The BYOC job header check alone, and the wire plugins hold before the
 * orchestrator role starts (and on nodes without it). Apart from
 * byoc-job-wire.ts because every node builds the plugin wire at boot: this
 * file reaches only the signature check, not the payments barrel and its
 * protobufjs wire codecs (ADR 0063).
 */
import { errors, type ByocJobWire, type VerifiedByocJob } from '@lpx/sdk';
import { decodeJobRequestHeader, verifyJobRequest } from '../../network/byoc/job-request.js';
import { toChecksumAddress } from '../../payments/encoding/address.js';
import { SignatureVerifier } from '../../payments/crypto/signature.js';

/** Verification alone needs no node state: it works before the role starts and on any node. */
export function verifyByocJobHeader(header: string | undefined, verifier: SignatureVerifier): VerifiedByocJob {
  const { job, sender } = verifyJobRequest(decodeJobRequestHeader(header), verifier);
  return { id: job.id, request: job.request, parameters: job.parameters, capability: job.capability, sender: toChecksumAddress(sender), timeoutSeconds: job.timeout_seconds };
}

export function unstartedByocJobWire(): ByocJobWire {
  const verifier = new SignatureVerifier();
  return {
    verify: (header) => verifyByocJobHeader(header, verifier),
    priceFor: () => undefined,
    pay: () => Promise.reject(errors.payments.NOT_CONFIGURED.create('the orchestrator role has not started: no BYOC payments accepted yet')),
  };
}
