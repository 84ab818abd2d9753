import type { DiscoveryStrategy, OrchestratorCandidate } from '@lpx/sdk';

/** go-livepeer gives -orchAddr entries Score_Trusted: the operator vouched for them. */
export const TRUSTED_SCORE = 1;

/** A fixed list: the same candidates every time, no I/O. */
export class StaticDiscoveryStrategy implements DiscoveryStrategy {
  readonly name = 'static';
  readonly #candidates: readonly OrchestratorCandidate[];

  constructor(uris: readonly string[]) {
    this.#candidates = Object.freeze(uris.map((uri) => Object.freeze({ uri, score: TRUSTED_SCORE })));
  }

  async discover(signal: AbortSignal): Promise<OrchestratorCandidate[]> {
    signal.throwIfAborted();
    return [...this.#candidates];
  }
}
