/**
 * go-livepeer's trickle protocol as numbers and names, shared by the server
 * (the `trickle` plugin) and the clients in this kit, so both sides read the
 * same headers the same way.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Where an orchestrator mounts the server on its service port (go-livepeer's TrickleHTTPPath). */
export const TRICKLE_HTTP_PATH = '/ai/trickle/';

/** The segment index the server wrote (POST replies) or serves (GET replies). */
export const HEADER_SEQ = 'lp-trickle-seq';
/** The channel's next write index, on GET replies when it differs from the served segment, on 470s and on `/next`. */
export const HEADER_LATEST = 'lp-trickle-latest';
/** `terminated` once the channel was closed: end of stream for subscribers and publishers. */
export const HEADER_CLOSED = 'lp-trickle-closed';
/** On a POST: the publisher restarted; the server closes every earlier segment. */
export const HEADER_RESET = 'lp-trickle-reset';
/** The mime type a channel-creating POST asks for. */
export const HEADER_EXPECT_CONTENT = 'expect-content';
export const CLOSED_VALUE = 'terminated';

/** "The channel exists but that segment does not (any more)". */
export const STATUS_SEQUENCE_NONEXISTENT = 470;
/** Body of a GET for a segment that is not there. */
export const ENTRY_NOT_FOUND_TEXT = 'Entry not found';

/** Segments a channel keeps: index i lives in slot i % 5, so a newer index overwrites an older one. */
export const MAX_SEGMENTS_PER_CHANNEL = 5;
/** Subscribe seq: the next segment to be written (the live edge). */
export const SEQ_NEXT = -1;
/** Subscribe seq: the segment being written now (or 0). */
export const SEQ_CURRENT = -2;

/** The server answers 100 Continue on a POST that sent no byte for this long, and keeps waiting. */
export const FIRST_BYTE_KEEPALIVE_MS = 10_000;
/** Subscribers re-open a preconnected GET that got no headers for this long. */
export const PRECONNECT_REFRESH_MS = 20_000;
/** Consecutive failed (pre)connects a subscriber tolerates (go-livepeer fails on the sixth). */
export const MAX_PRECONNECT_ERRORS = 5;
/** go-livepeer's live output loop: wait between read retries. */
export const READ_RETRY_DELAY_MS = 300;
/** Channels with no write for this long are removed by the sweep. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
/** The publisher's Content-Type unless told otherwise (go-livepeer's video/MP2T). */
export const DEFAULT_PUBLISH_MIME_TYPE = 'video/MP2T';

/** A header holding a decimal integer (possibly negative), or undefined. */
export function intHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

export function isClosedReply(headers: IncomingHttpHeaders): boolean {
  const value = headers[HEADER_CLOSED];
  return value !== undefined && value !== '';
}

/** Channel names: one HTTP path part, and unguessable when the service picks them. */
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;
