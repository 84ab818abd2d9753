/**
 * coreServices.gateway as one plugin sees it: calls that pay orchestrators
 * (`transcodeSegment`, `ai`) need the `spend` permission, and a plugin with
 * `grants.spend.maxPerJobWei` gets that as every job's ceiling and may not
 * ask for more. The ceiling itself is applied where the job's fee is known,
 * before any ticket is made (SegmentPayments.prepareUnits; ADR 0036).
 */
import { errors, type AIGatewayRequest, type GatewayService, type SegmentTranscodeRequest } from '@lpx/sdk';
import type { PluginPermissions } from './plugin-permissions.js';

const WEI = /^(0|[1-9][0-9]*)$/;

export function spendGateway(inner: GatewayService, permissions: PluginPermissions): GatewayService {
  const ceiling = <R extends { readonly maxJobWei?: string }>(request: R, what: string): R => {
    permissions.require('spend', `pay orchestrators for ${what}`);
    if (request.maxJobWei !== undefined && !WEI.test(request.maxJobWei)) {
      throw errors.chain.AMOUNT_INVALID.create(`maxJobWei must be a whole number of wei in decimal, got ${JSON.stringify(request.maxJobWei)}`, { details: { field: 'maxJobWei' } });
    }
    const grant = permissions.grants.spend?.maxPerJobWei;
    if (grant === undefined) return request;
    if (request.maxJobWei !== undefined && BigInt(request.maxJobWei) > BigInt(grant)) {
      throw permissions.deny('spend', `pay up to ${request.maxJobWei} wei for ${what} (at most ${grant} per job)`, { grant: 'grants.spend.maxPerJobWei', details: { maxJobWei: request.maxJobWei, maxPerJobWei: grant } });
    }
    return request.maxJobWei !== undefined ? request : { ...request, maxJobWei: grant };
  };
  return {
    get enabled() {
      return inner.enabled;
    },
    transcodeSegment: async (request: SegmentTranscodeRequest) => inner.transcodeSegment(ceiling(request, `segment ${request.seq} of ${request.streamId}`)),
    endStream: (streamId) => inner.endStream(streamId),
    ai: async (request: AIGatewayRequest) => inner.ai(ceiling(request, `an ${request.pipeline} request`)),
    aiModels: () => inner.aiModels(),
    authenticate: (authorization) => inner.authenticate(authorization),
  };
}
