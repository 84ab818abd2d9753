/**
 * `@lpx/sdk/trickle-kit`: go-livepeer's trickle protocol for plugins and
 * their clients — the publisher (a preconnected POST per segment, bodies
 * streamed), the subscriber (a preconnected GET per segment, 470 → latest,
 * end of stream on `Lp-Trickle-Closed`), one-shot helpers, and the protocol's
 * headers and numbers, which the `trickle` plugin's server reads from here too
 * (docs/adr/0039-trickle-plugin.md).
 *
 * A subpath, not the main entry: it touches node:http and streams.
 */
export * from './protocol.js';
export { TrickleAgent, type TrickleHttpOptions } from './http.js';
export { TricklePublisher, TrickleSegmentWriter, type SegmentData, type TricklePublisherOptions } from './publisher.js';
export { TrickleSubscriber, type TrickleSegment, type TrickleSubscriberOptions } from './subscriber.js';
export { readSegment, writeSegment, type ReadSegmentResult } from './one-shot.js';
