/**
 * One webhook POST, connecting only to addresses the egress policy approved.
 * node:http's `lookup` hook replaces DNS for this request, so the socket goes
 * where the check looked, while the Host header and TLS SNI still carry the
 * URL's name (certificates verify as usual). Redirects are never followed:
 * a 3xx is an answer, not an instruction to call somewhere else.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './egress-policy.js';

export interface WebhookRequest {
  readonly url: URL;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The checked addresses; the only ones the socket may use. */
  readonly addresses: readonly ResolvedAddress[];
  readonly timeoutMs: number;
  /** Aborted when the worker shuts down. */
  readonly signal?: AbortSignal;
}

function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const first = wanted[0];
    if (first === undefined) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (options.all) (callback as unknown as (err: null, all: ResolvedAddress[]) => void)(null, [...wanted]);
    else callback(null, first.address, first.family);
  };
}

/** POSTs and resolves with the HTTP status; rejects on network errors and on timeout. */
export function postWebhook(request: WebhookRequest): Promise<number> {
  const signals = [AbortSignal.timeout(request.timeoutMs), ...(request.signal ? [request.signal] : [])];
  const signal = AbortSignal.any(signals);
  const transport = request.url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = transport.request(request.url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      lookup: pinnedLookup(request.addresses),
      // A fresh socket per delivery: a pooled one could have been opened for an address checked earlier.
      agent: false,
      signal,
    });
    req.on('response', (res) => {
      // The receiver's answer body is not needed; drain it so the socket closes.
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      reject(signal.aborted && request.signal?.aborted !== true ? new Error(`no answer within ${request.timeoutMs} ms`, { cause: error }) : error);
    });
    req.end(request.body);
  });
}
