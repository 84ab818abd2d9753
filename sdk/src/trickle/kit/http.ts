/**
 * The kit's HTTP: node:http / node:https with keep-alive agents, because a
 * trickle client needs what fetch-style APIs hide — request bodies that
 * stream while the response is pending, responses that may arrive before the
 * body ended (404 on a preconnect), and 1xx keepalives to be ignored.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { errors } from '../../errors/catalogue.js';
import type { LpxError } from '../../errors/lpx-error.js';
import { HEADER_LATEST, HEADER_SEQ, intHeader, STATUS_SEQUENCE_NONEXISTENT } from './protocol.js';

export interface TrickleHttpOptions {
  /** Accept any TLS certificate (orchestrators' front doors are self-signed, and go-livepeer's clients skip verification too). */
  readonly insecure?: boolean;
  /** Extra CA certificates to trust instead (PEM). */
  readonly ca?: string | readonly string[];
  /** An agent to use; the client then leaves its lifetime to the caller. */
  readonly agent?: HttpAgent | HttpsAgent;
}

/** One agent per client, closed with it (go-livepeer gives each publisher / subscriber its own http.Client). */
export class TrickleAgent {
  readonly #own: HttpAgent | HttpsAgent | undefined;
  readonly #agent: HttpAgent | HttpsAgent;
  readonly #https: boolean;

  constructor(baseUrl: string, options: TrickleHttpOptions) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw errors.config.INVALID.create(`trickle URL ${baseUrl} is not http(s)`, { details: { url: baseUrl } });
    }
    this.#https = url.protocol === 'https:';
    if (options.agent !== undefined) {
      this.#agent = options.agent;
      return;
    }
    this.#own = this.#https
      ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: options.insecure !== true, ...(options.ca !== undefined ? { ca: options.ca as string | string[] } : {}) })
      : new HttpAgent({ keepAlive: true });
    this.#agent = this.#own;
  }

  /** Starts a request; headers are flushed at once so the server sees a preconnect before any body. */
  open(method: string, url: string, headers: OutgoingHttpHeaders = {}): ClientRequest {
    const send = this.#https ? httpsRequest : httpRequest;
    const req = send(url, { method, headers, agent: this.#agent });
    // Transport errors surface through responseOf; a second one (a write after a reset) must not crash the process.
    req.on('error', () => undefined);
    return req;
  }

  /** A request without a body; resolves with the response (its body unread). */
  async send(method: string, url: string, signal?: AbortSignal): Promise<IncomingMessage> {
    const req = this.open(method, url);
    const response = responseOf(req, signal);
    req.end();
    return response;
  }

  destroy(): void {
    this.#own?.destroy();
  }
}

/** The response of `req`; rejects on a transport error or when `signal` aborts (which destroys the request). */
export function responseOf(req: ClientRequest, signal?: AbortSignal): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    if (signal?.aborted) {
      req.destroy();
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      req.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('response', (res) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(res);
    });
    req.once('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
  });
}

/** The whole body as text (refusals are short plain text). */
export async function bodyText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A refusal the protocol defines (404, 470) or does not (anything else that is not 200) as a coded error. */
export async function refusalOf(res: IncomingMessage, url: string): Promise<LpxError> {
  const text = (await bodyText(res).catch(() => '')).trim();
  if (res.statusCode === 404) return errors.trickle.CHANNEL_NOT_FOUND.create(`trickle channel ${url} does not exist (404: ${text})`, { details: { url } });
  if (res.statusCode === STATUS_SEQUENCE_NONEXISTENT) {
    const seq = intHeader(res.headers, HEADER_SEQ);
    const latest = intHeader(res.headers, HEADER_LATEST);
    return errors.trickle.SEQUENCE_NONEXISTENT.create(`trickle segment ${seq ?? '?'} of ${url} is not in the channel's window (latest ${latest ?? '?'})`, { details: { url, seq, latest } });
  }
  return errors.trickle.PROTOCOL_ERROR.create(`trickle server answered ${res.statusCode ?? '?'} for ${url}: ${text}`, { details: { url, status: res.statusCode, body: text } });
}
