/**
 * What a go-livepeer gateway sends an orchestrator with every batch AI
 * request, besides the payment (server/ai_process.go prepareAIPayment):
 * - `Livepeer-Segment`: the SegData of an empty segment (`genSegCreds` with a
 *   blank HLSSegment): manifest id `<capability>_<model>`, seq 0, keccak256 of
 *   no bytes, no profiles (the deprecated field still says `invalid`), the AI
 *   job's capabilities, the orchestrator's auth token, and the gateway's
 *   signature over Flatten;
 * - `Authorization: Livepeer-AI-Worker-1.0`, without which an orchestrator
 *   inlines images as data URLs (old gateways).
 */
import { bitstringOf, type LivepeerCapabilities } from '../../capabilities/index.js';
import type { PersonalSigner } from '../auth/gateway-signature.js';
import { emptySegmentHeader } from '../segment/empty-segment-header.js';
import type { AuthToken } from '../wire/types.js';

/** go-livepeer's protoVerAIWorker, sent as the Authorization header value. */
export const AI_WORKER_AUTHORIZATION = 'Livepeer-AI-Worker-1.0';

/** The manifest id (and the orchestrator's balance key) of a (capability, model): `27_stabilityai/sdxl-turbo`. */
export function aiManifestId(livepeerCapability: number, modelId: string): string {
  return `${livepeerCapability}_${modelId}`;
}

/**
 * The job's capabilities: the pipeline's bit with a capacity of 1 and the
 * model as a cold constraint (go-livepeer asks `warm: false` so warm and
 * cold orchestrators both match). go-livepeer also sets its default
 * transcoding bits; we leave them out so an AI-only orchestrator that does
 * not advertise them still matches — a subset is compatible with every
 * go-livepeer orchestrator too (ADR 0034).
 */
export function aiJobCapabilities(livepeerCapability: number, modelId: string, minVersion = ''): LivepeerCapabilities {
  return {
    bitstring: bitstringOf([livepeerCapability]),
    mandatories: [],
    capacities: { [livepeerCapability]: 1 },
    version: '',
    constraints: {
      minVersion,
      perCapability: { [livepeerCapability]: { models: { [modelId]: { warm: false, capacity: 0, runnerVersion: '', capacityInUse: 0 } } } },
    },
  };
}

export interface AISegmentHeaderInput {
  readonly livepeerCapability: number;
  readonly modelId: string;
  readonly authToken: AuthToken | undefined;
  readonly signer: PersonalSigner;
}

/** The Livepeer-Segment header value for one AI request. */
export async function aiSegmentHeader(input: AISegmentHeaderInput): Promise<string> {
  return emptySegmentHeader({
    manifestId: aiManifestId(input.livepeerCapability, input.modelId),
    capabilities: aiJobCapabilities(input.livepeerCapability, input.modelId),
    authToken: input.authToken,
    signer: input.signer,
  });
}
