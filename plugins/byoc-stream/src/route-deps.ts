import type { ByocHostedService, CapabilitiesService, LoggerService, OrchestratorWireService, TrickleService } from '@lpx/sdk';
import { parseBalance, wholeWei } from './money.js';
import type { StreamTable } from './stream-table.js';

export interface StreamRouteDeps {
  readonly wire: OrchestratorWireService;
  readonly hosted: ByocHostedService;
  readonly capabilities: CapabilitiesService;
  readonly trickle: TrickleService;
  readonly table: StreamTable;
  readonly logger: LoggerService;
  /** Milliseconds; the start call's duration is billed with it. */
  now(): number;
}

/** `Livepeer-Balance`: the sender's whole-wei balance for the capability, "0" when there is none. */
export async function balanceHeader(deps: StreamRouteDeps, sender: string, capability: string): Promise<string> {
  return wholeWei(parseBalance(await deps.wire.payments.balance({ sender, manifestId: capability })));
}
