import type { OrchestratorCandidate } from '@lpx/sdk';
import { normaliseServiceUri } from './normalise-service-uri.js';
import type { PoolMember } from './read-transcoder-pool.js';

/** go-livepeer gives every on-chain (DB) pool entry Score_Untrusted: the chain says who staked, not who is good. */
export const UNTRUSTED_SCORE = 0;

/** A discovered orchestrator with the chain facts the candidate type has no field for (stake stays a wei string). */
export interface OnchainOrchestrator {
  readonly uri: string;
  readonly address: string;
  readonly stake: string;
}

export interface SkippedMember {
  readonly address: string;
  readonly serviceUri: string;
  readonly kind: 'invalid-uri' | 'inactive' | 'duplicate-uri';
  readonly reason: string;
}

export interface PoolSelection {
  readonly candidates: OrchestratorCandidate[];
  readonly orchestrators: OnchainOrchestrator[];
  readonly skipped: SkippedMember[];
}

/**
 * Turns pool members into candidates. With `round` set, only members with
 * activationRound <= round < deactivationRound count, as in go-livepeer's
 * DBOrchFilter; without it (includeInactive) every pool member does. A URI
 * two orchestrators share is kept for the first, the higher-staked one.
 */
export function poolToCandidates(members: readonly PoolMember[], round: bigint | undefined): PoolSelection {
  const candidates: OrchestratorCandidate[] = [];
  const orchestrators: OnchainOrchestrator[] = [];
  const skipped: SkippedMember[] = [];
  const owners = new Map<string, string>();
  for (const member of members) {
    const { address, serviceUri } = member;
    if (round !== undefined && !(member.activationRound <= round && round < member.deactivationRound)) {
      skipped.push({ address, serviceUri, kind: 'inactive', reason: `not active in round ${round} (active from ${member.activationRound} until ${member.deactivationRound})` });
      continue;
    }
    const checked = normaliseServiceUri(serviceUri);
    if (!checked.ok) {
      skipped.push({ address, serviceUri, kind: 'invalid-uri', reason: checked.reason });
      continue;
    }
    const owner = owners.get(checked.uri);
    if (owner !== undefined) {
      skipped.push({ address, serviceUri, kind: 'duplicate-uri', reason: `service URI already announced by ${owner}` });
      continue;
    }
    owners.set(checked.uri, address);
    candidates.push({ uri: checked.uri, address, score: UNTRUSTED_SCORE });
    orchestrators.push({ uri: checked.uri, address, stake: member.stake.toString() });
  }
  return { candidates, orchestrators, skipped };
}
