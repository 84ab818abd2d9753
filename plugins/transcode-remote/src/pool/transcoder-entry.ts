/**
 * One registered remote transcoder as the pool sees it. The gRPC stream is
 * behind `TranscoderLink` so the pool's logic does not depend on grpc-js and
 * tests can drive it with a fake link.
 */
import type { TranscoderCapabilities } from '../wire/capabilities.js';
import type { NotifySegment } from '../wire/register-messages.js';

export interface TranscoderLink {
  /** The transcoder's address, for logs (go-livepeer logs the connection address too). */
  readonly peer: string;
  /** Queues a message on the stream; false when the stream is gone (a fatal send error). */
  send(notify: NotifySegment): boolean;
  /** Ends the stream with status OK, as go-livepeer's handler returns nil when it drops a transcoder. */
  end(): void;
}

export interface TranscoderEntry {
  /** Registration order; ties in load go to the earliest registered. */
  readonly id: number;
  readonly link: TranscoderLink;
  readonly capacity: number;
  readonly capabilities: TranscoderCapabilities;
  /** Sessions assigned to it (go-livepeer counts sessions, not segments). */
  load: number;
  live: boolean;
}

/** a.load/a.capacity < b.load/b.capacity, in integers (capacities are positive). */
export function lessLoaded(a: TranscoderEntry, b: TranscoderEntry): boolean {
  return a.load * b.capacity < b.load * a.capacity;
}
