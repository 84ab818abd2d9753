import type { CapabilityDeclaration, CapabilityDescriptor } from '../capabilities/descriptor.js';

export interface CapacityReservation {
  readonly id: string;
  readonly capabilityId: string;
  readonly model?: string;
}

/** The id prefixes a plugin may register at run time (after boot published the registry). */
export const RUNTIME_CAPABILITY_PREFIXES: readonly string[] = ['byoc/', 'live/'];

/** What the kernel hands a request to before it admits or charges anything. */
export interface CapabilityRequest {
  /** The path after the capability's route (`/process/request/<subpath>`), no leading slash. */
  readonly subpath: string;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/**
 * The job data a run-time capability's processor gets for a paid
 * `/process/request/<subpath>` call: the request as the client sent it
 * (manifest-declared capabilities get the JSON-parsed body instead).
 */
export interface CapabilityJobRequest {
  readonly subpath: string;
  readonly contentType: string;
  /** The body, base64. */
  readonly body: string;
  /** JobRequest.timeout_seconds × 1000: answer within it. */
  readonly timeoutMs: number;
  /** EIP-55 address of the paying sender. */
  readonly sender: string;
  /** JobRequest.request and .parameters as sent (JSON strings). */
  readonly request: string;
  readonly parameters: string;
}

/** What such a processor returns: relayed to the client as is. */
export interface CapabilityJobResponse {
  readonly status: number;
  readonly contentType: string;
  /** The body, base64. */
  readonly body: string;
  /** The body went line by line through the job's stream (JobContext.stream) instead: `body` is empty. */
  readonly streamed?: boolean;
}

export interface RuntimeCapabilityOptions {
  /**
   * Checks a request before capacity, payment or work: throw an LpxError with
   * a 4xx status (e.g. errors.byoc.INPUT_INVALID) to refuse it with that
   * status; nothing is reserved or charged then.
   */
  validate?(request: CapabilityRequest): void | Promise<void>;
}

/** The node's runtime capability registry (not the plugin registry). */
export interface CapabilitiesService {
  list(): CapabilityDescriptor[];
  get(id: string): CapabilityDescriptor | undefined;
  /** Free units for a capability (or one of its models). */
  available(id: string, model?: string): number;
  /** Takes one unit of capacity; throws LPX_ERR_CAPABILITY_NO_CAPACITY when full. */
  reserve(id: string, model?: string): CapacityReservation;
  /** Gives the unit back; releasing twice throws LPX_ERR_CAPABILITY_RESERVATION_UNKNOWN. */
  release(reservation: CapacityReservation): void;
  /**
   * Adds a capability at run time — a BYOC app that became ready, an external
   * worker that registered — for ids under RUNTIME_CAPABILITY_PREFIXES only
   * (the rest is declared in manifests, fixed at boot). The caller is its
   * provider and may bind its job processor. A second registration of an id
   * the same plugin holds replaces it (go-livepeer re-registration); another
   * plugin's id is refused (LPX_ERR_CAPABILITY_DUPLICATE). Returns the
   * unregister function; unregistering twice is a no-op.
   */
  register(declaration: CapabilityDeclaration, options?: RuntimeCapabilityOptions): () => void;
  /** Replaces the capacity of a capability this plugin registered at run time (instances came or went). */
  setCapacity(id: string, capacity: number): void;
}
