/**
 * The JSON `GET /status` answers and the dashboard renders (docs/adr/0057-web-dashboard.md).
 * Wei amounts are decimal strings (bigint, never floats); counters are the node's
 * own prom-client counters since this process started. A section is absent when
 * the node does not run the role it describes.
 */
export interface NodeStatus {
  readonly node: {
    readonly name: string;
    readonly version: string;
    readonly roles: readonly string[];
    /** Host state: starting, ready, stopping, ... */
    readonly state: string;
    /** The node's Ethereum address when it has a network role. */
    readonly address?: string;
    readonly ready: boolean;
    readonly checks: Readonly<Record<string, string>>;
  };
  readonly generatedAt: string;
  /**
   * Other read-only endpoints this node serves. `events` (the Server-Sent
   * Events stream) is listed only when the node has it, so the page never
   * opens a stream that would 404.
   */
  readonly links: { readonly metrics: string; readonly events?: string };
  readonly plugins: readonly PluginStatus[];
  readonly capabilities: readonly CapabilityStatus[];
  readonly jobs: JobsStatus;
  readonly gateway?: GatewayStatus;
  readonly orchestrator?: OrchestratorStatus;
  /** Deposit and reserve of this node as a ticket sender (gateway on a chain). */
  readonly funds?: FundsStatus;
}

export interface PluginStatus {
  readonly id: string;
  readonly version: string;
  /** ok while the node runs it; revoked when the registry withdrew its release; otherwise the host state. */
  readonly health: string;
  readonly detail?: string;
  readonly capabilities: readonly string[];
}

export interface CapabilityStatus {
  readonly id: string;
  readonly mode: string;
  readonly providedBy: string;
  readonly capacity: number;
  readonly inUse: number;
  readonly available: number;
  readonly price?: { readonly pricePerUnit: string; readonly pixelsPerUnit: string; readonly unit: string };
}

export interface JobOutcomes {
  readonly completed: number;
  readonly failed: number;
  readonly retried: number;
}

export interface JobsStatus {
  readonly totals: JobOutcomes;
  readonly byCapability: readonly ({ readonly capability: string } & JobOutcomes)[];
}

export interface GatewayStatus {
  readonly ticketsSent: number;
  /** Face value of tickets sent, when the node counts it (wei, decimal string). */
  readonly ticketValueSentWei?: string;
  readonly orchestratorFailures: number;
}

export interface OrchestratorStatus {
  readonly ticketsReceived: number;
  readonly ticketsCredited: number;
  readonly winningTickets: number;
  readonly ticketRefusals: number;
  /** Redemption attempts by outcome (redeemed, retry, failed, ...). */
  readonly redemptions: Readonly<Record<string, number>>;
  /** Value received from redeemed tickets (wei, decimal string; counted in whole gwei). */
  readonly redeemedWei: string;
}

export interface FundsStatus {
  readonly depositWei: string;
  readonly reserveWei: string;
  /** 0 unless an unlock is in progress. */
  readonly withdrawRound: string;
  /** Set instead of the amounts when the chain read failed. */
  readonly error?: string;
}
