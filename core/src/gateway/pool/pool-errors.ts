import { errors } from '@lpx/sdk';
import { networkErrors, type OrchestratorInfo } from '../../network/index.js';
import type { Classified } from './pool-classification.js';

/** The gateway area of the sdk's error catalogue, under the name pool code uses. */
export const gatewayErrors = errors.gateway;

/** go-livepeer accepts a reply only with a service URI to send work to. */
export function accept(info: OrchestratorInfo): OrchestratorInfo {
  if (info.transcoder === '') throw networkErrors.MALFORMED_MESSAGE.create('OrchestratorInfo has no transcoder URI');
  return info;
}

/** Why a pick found no one: GATEWAY_PRICE_TOO_HIGH when price alone rules everyone out, GATEWAY_NO_ORCHESTRATORS otherwise. */
export function noChoice(capabilityId: string, options: { model?: string; exclude?: ReadonlySet<string> }, found: Classified, cached: number): Error {
  const what = options.model === undefined ? capabilityId : `${capabilityId} (model ${options.model})`;
  const details = {
    capabilityId,
    ...(options.model !== undefined ? { model: options.model } : {}),
    cached,
    offering: found.offering,
    overPrice: found.overPrice,
    suspended: found.suspended.length,
    excluded: options.exclude?.size ?? 0,
  };
  if (found.offering > 0 && found.overPrice === found.offering) {
    return gatewayErrors.PRICE_TOO_HIGH.create(`all ${found.offering} orchestrators offering ${what} ask more than the max price`, { details });
  }
  return gatewayErrors.NO_ORCHESTRATORS.create(`no orchestrator available for ${what}`, { details });
}
