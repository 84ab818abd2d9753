/** Single requests for simple uses: one segment in, one segment out, no preconnects. */
import { errors } from '../../errors/catalogue.js';
import { bodyText, refusalOf, responseOf, TrickleAgent, type TrickleHttpOptions } from './http.js';
import { HEADER_LATEST, HEADER_SEQ, intHeader, isClosedReply, SEQ_NEXT } from './protocol.js';
import type { SegmentData } from './publisher.js';

export interface ReadSegmentResult {
  readonly seq: number;
  readonly latest: number | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/**
 * `GET {channel}/{seq}` (default -1: waits for the next segment) read to the
 * end. Resolves undefined at end of stream; 404 and 470 reject with their codes.
 */
export async function readSegment(channelUrl: string, options: TrickleHttpOptions & { readonly seq?: number; readonly signal?: AbortSignal } = {}): Promise<ReadSegmentResult | undefined> {
  const base = channelUrl.replace(/\/+$/, '');
  const agent = new TrickleAgent(base, options);
  try {
    const url = `${base}/${options.seq ?? SEQ_NEXT}`;
    const res = await agent.send('GET', url, options.signal);
    if (isClosedReply(res.headers)) {
      res.resume();
      return undefined;
    }
    if (res.statusCode !== 200) throw await refusalOf(res, url);
    const seq = intHeader(res.headers, HEADER_SEQ);
    if (seq === undefined) throw errors.trickle.PROTOCOL_ERROR.create(`trickle server served ${url} without an Lp-Trickle-Seq header`, { details: { url } });
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { seq, latest: intHeader(res.headers, HEADER_LATEST), contentType: res.headers['content-type'], data: Buffer.concat(chunks) };
  } finally {
    agent.destroy();
  }
}

/** Publishes one segment at `seq` (default -1: the channel's next index); resolves with the index the server wrote. */
export async function writeSegment(channelUrl: string, data: SegmentData, options: TrickleHttpOptions & { readonly seq?: number; readonly mimeType?: string } = {}): Promise<number> {
  const base = channelUrl.replace(/\/+$/, '');
  const agent = new TrickleAgent(base, options);
  try {
    const url = `${base}/${options.seq ?? SEQ_NEXT}`;
    const req = agent.open('POST', url, options.mimeType !== undefined ? { 'content-type': options.mimeType } : {});
    const response = responseOf(req);
    response.catch(() => undefined);
    if (typeof data === 'string' || data instanceof Uint8Array) req.write(data);
    else for await (const chunk of data) req.write(chunk);
    req.end();
    const res = await response;
    if (isClosedReply(res.headers)) {
      res.resume();
      throw errors.trickle.CLOSED.create(`trickle channel ${base} was closed`, { details: { url: base } });
    }
    if (res.statusCode !== 200) throw await refusalOf(res, url);
    await bodyText(res);
    const seq = intHeader(res.headers, HEADER_SEQ);
    if (seq === undefined) throw errors.trickle.PROTOCOL_ERROR.create(`trickle server wrote ${url} without an Lp-Trickle-Seq header`, { details: { url } });
    return seq;
  } finally {
    agent.destroy();
  }
}
