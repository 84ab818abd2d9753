/**
 * The client-facing proxy routes: a persistent session's app
 * (`/apps/{runner}/session/{session}/app/...`), a single-shot call
 * (`/apps/{runner}/app/...`: reserve, proxy, release when the answer ends,
 * paid like a session when the runner is priced) and the generated proxy
 * URLs (`{template path}/{proxy id}/...`). WebSocket upgrades of the same
 * paths arrive on the server's `upgrade` event and go through the same
 * resolution (upgrade.ts).
 */
import { errors } from '@lpx/sdk';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LiveRunnerNode } from '../live-runner-node.js';
import type { Runner, Session } from '../registry/runner-table.js';
import { proxyHttp, type ProxyTarget } from '../proxy/reverse-proxy.js';
import { proxySchema } from './route-schemas.js';
import { sendJson, sendRefusal } from './replies.js';

/** What a proxied request resolves to; `release` ends a single-shot session. */
export interface Resolved {
  readonly runner: Runner;
  readonly session: Session;
  readonly base: string;
  readonly appPath: string;
  readonly release?: () => void;
}

export type Resolution = { readonly kind: 'proxy'; readonly resolved: Resolved } | { readonly kind: 'challenge'; readonly body: Record<string, string> };

interface PaymentInput {
  readonly payment?: string;
  readonly segment?: string;
  readonly payer?: string;
}

export function splitUrl(rawUrl: string): { path: string; query: string } {
  const at = rawUrl.indexOf('?');
  return at < 0 ? { path: rawUrl, query: '' } : { path: rawUrl.slice(0, at), query: rawUrl.slice(at + 1) };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw errors.liveRunner.RUNNER_UNKNOWN.create('runner not found');
  }
}

const SESSION_APP = /^\/apps\/([^/]+)\/session\/([^/]+)\/app(?:\/(.*))?$/s;
const SINGLE_SHOT = /^\/apps\/([^/]+)\/app(?:\/(.*))?$/s;

export class ProxyResolver {
  constructor(private readonly node: LiveRunnerNode) {}

  /** Undefined: the path is not a Live Runner proxy path. */
  async resolve(path: string, payment: PaymentInput): Promise<Resolution | undefined> {
    const { table } = this.node;
    const sessionApp = SESSION_APP.exec(path);
    if (sessionApp !== null) {
      const { runner, session } = table.session(decode(sessionApp[1]!), decode(sessionApp[2]!));
      return { kind: 'proxy', resolved: { runner, session, base: runner.spec.runnerUrl, appPath: sessionApp[3] ?? '' } };
    }
    const singleShot = SINGLE_SHOT.exec(path);
    if (singleShot !== null) return this.#singleShot(decode(singleShot[1]!), singleShot[2] ?? '', payment);
    const prefix = this.node.template.pathPrefix;
    if (path.startsWith(prefix)) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      const proxyId = decode(slash < 0 ? rest : rest.slice(0, slash));
      const appPath = slash < 0 ? '' : rest.slice(slash + 1);
      const found = table.proxy(proxyId);
      if (found !== undefined) return { kind: 'proxy', resolved: { runner: found.runner, session: found.session, base: found.target, appPath } };
      // A single-shot runner with `proxy: true` is reached at its route as the proxy id.
      const runner = table.byRoute(proxyId);
      if (runner !== undefined && runner.spec.mode === 'single-shot' && runner.spec.proxy) return this.#singleShot(proxyId, appPath, payment);
      throw errors.liveRunner.RUNNER_UNKNOWN.create('live runner proxy not found');
    }
    return undefined;
  }

  async #singleShot(route: string, appPath: string, payment: PaymentInput): Promise<Resolution> {
    const { table } = this.node;
    const runner = table.readyRunner(route);
    if (runner.spec.mode !== 'single-shot') throw errors.liveRunner.MODE_MISMATCH.create('runner is not single-shot');
    const reservation = await this.node.payments.reserve(runner, payment);
    if (reservation.kind === 'challenge') return reservation;
    const { session } = reservation;
    return { kind: 'proxy', resolved: { runner, session, base: runner.spec.runnerUrl, appPath, release: () => table.release(runner, session.id, 'single-shot request finished') } };
  }

  target(resolved: Resolved, query: string): ProxyTarget {
    return { base: resolved.base, appPath: resolved.appPath, query, inject: this.node.injected(resolved.runner, resolved.session), signal: resolved.session.abort.signal };
  }
}

export function paymentInput(headers: IncomingMessage['headers']): PaymentInput {
  const one = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const payment = one('livepeer-payment');
  const segment = one('livepeer-segment');
  const payer = one('livepeer-payer-address');
  return { ...(payment !== undefined ? { payment } : {}), ...(segment !== undefined ? { segment } : {}), ...(payer !== undefined ? { payer } : {}) };
}

export function registerProxyRoutes(scope: FastifyInstance, node: LiveRunnerNode, resolver: ProxyResolver): void {
  // The body is the runner's: streamed through untouched, never parsed here.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  const unexpected = (error: unknown) => node.deps.onError(error, 'live runner proxy');

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { path, query } = splitUrl(request.raw.url ?? request.url);
    let resolution: Resolution | undefined;
    try {
      resolution = await resolver.resolve(path, paymentInput(request.headers));
      if (resolution === undefined) throw errors.liveRunner.RUNNER_UNKNOWN.create('runner not found');
    } catch (error) {
      return sendRefusal(reply, error, unexpected);
    }
    if (resolution.kind === 'challenge') return sendJson(reply, resolution.body, 402);
    const { resolved } = resolution;
    reply.hijack();
    try {
      await proxyHttp(request.raw, reply.raw, resolver.target(resolved, query), (error) => {
        const failure = errors.liveRunner.UPSTREAM_FAILED.create(error.message);
        reply.raw.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'lpx-error-code': failure.code });
        reply.raw.end(`${failure.message}\n`);
      });
    } finally {
      resolved.release?.();
    }
    return reply;
  };
  const routes: readonly [string, string][] = [
    ['/apps/:runner/session/:session/app', "A request to a persistent session's app"],
    ['/apps/:runner/session/:session/app/*', "A request to a path of a persistent session's app"],
    ['/apps/:runner/app', 'A single-shot request to a runner'],
    ['/apps/:runner/app/*', 'A single-shot request to a path of a runner'],
    [`${node.template.pathPrefix}:proxy`, 'A request through a proxy URL a runner asked for'],
    [`${node.template.pathPrefix}:proxy/*`, 'A request to a path through a proxy URL a runner asked for'],
  ];
  for (const [url, summary] of routes) scope.all(url, { schema: proxySchema(summary) }, handler);
}
