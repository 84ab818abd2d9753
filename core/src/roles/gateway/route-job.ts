/** What a route job carries through BullMQ: everything needed to run it on any gateway instance. */
/** go-livepeer's BYOC job request as a go-livepeer BYOC client sent it to the gateway (`POST /process/request/<path>`). */
export interface ByocWireRequest {
  /** The path after /process/request/, for the app. */
  readonly subpath: string;
  /** JobRequest.request and .parameters, as the client sent them (JSON strings). */
  readonly request: string;
  readonly parameters: string;
  readonly timeoutSeconds: number;
  readonly contentType: string;
}

export interface RouteJobData {
  readonly capabilityId: string;
  /** The client's JSON body, passed to the orchestrator's worker as the job input. */
  readonly input: unknown;
  /** Where to POST the outcome once the job completes or finally fails. */
  readonly webhook?: string;
  /** The tenant that submitted it (ADR 0017): only it may read the job, and its budget pays. Absent on an open gateway. */
  readonly tenant?: string;
  /** AI route jobs (`ai/<pipeline>`): the request's own price ceiling, wei per unit as "num/den" or "num" (ADR 0034). */
  readonly ai?: { readonly maxPricePerUnit?: string };
  /** The most the job may cost, in wei (a plugin's grants.spend.maxPerJobWei, or less; ADR 0036). */
  readonly maxJobWei?: string;
  /**
   * A caller reads the job's stream (a synchronous /v1/jobs request): an
   * event-stream answer goes there line by line as it arrives (ADR 0049).
   * Without it the events are only collected into the result.
   */
  readonly relay?: boolean;
  /** A go-livepeer BYOC client's request: `input` is then its body, base64. */
  readonly byoc?: ByocWireRequest;
}

export interface RouteJobResult {
  readonly output: unknown;
  /** The orchestrator that did the work (service URI) and how many were tried. */
  readonly orchestrator: string;
  readonly tried: number;
  /** Reply headers for the client, as go-livepeer's gateway sets them (Livepeer-Balance, X-Metadata, X-Orchestrator-Url). */
  readonly headers?: Readonly<Record<string, string>>;
}
