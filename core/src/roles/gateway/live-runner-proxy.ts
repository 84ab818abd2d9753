/**
 * Relaying an app request through the gateway: the client's method, query,
 * headers and body go to the orchestrator's app URL, and its status, headers
 * and body come back as they arrive (SSE and chunked answers stream, nothing
 * is buffered). Hop-by-hop headers stay on their hop; the client's
 * credentials for this gateway (Authorization) and any Livepeer-* header a
 * client might try to slip in never reach the orchestrator — the gateway
 * alone pays.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { MAX_PRICE_HEADER } from './live-runner-price.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/** Request headers for the orchestrator. */
export function outgoingHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(key) || key === 'authorization' || key === MAX_PRICE_HEADER || key.startsWith('livepeer-')) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The path after the app base, with the client's query: `/v1/x?y=1`, or '' for the base itself. */
export function appPath(wildcard: string | undefined, rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  const query = q >= 0 ? rawUrl.slice(q) : '';
  const path = wildcard === undefined || wildcard === '' ? '' : `/${wildcard.split('/').map(encodeURIComponent).join('/')}`;
  return `${path}${query}`;
}

/** Streams the orchestrator's answer to the client; `done` runs once it ended either way. */
export function relayResponse(request: FastifyRequest, reply: FastifyReply, response: Dispatcher.ResponseData, done: () => void, extra: Record<string, string> = {}): void {
  reply.hijack();
  const raw = reply.raw;
  const headers: Record<string, string | string[]> = { ...extra };
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
    headers[name] = value;
  }
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    done();
  };
  raw.writeHead(response.statusCode, headers);
  // A client that hangs up ends the call upstream too (an SSE stream would otherwise run on).
  request.raw.on('close', () => {
    if (!raw.writableEnded) response.body.destroy();
  });
  raw.on('close', () => {
    response.body.destroy();
    finish();
  });
  response.body.on('error', () => {
    raw.destroy();
    finish();
  });
  response.body.on('end', finish);
  response.body.pipe(raw);
}
