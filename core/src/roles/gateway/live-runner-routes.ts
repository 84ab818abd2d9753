/**
 * The gateway's app-facing Live Runner API (ADR 0043), on the node's HTTP
 * edge, tenants authenticated as on /v1/jobs (Authorization: Bearer):
 *   GET  /v1/apps                                   apps on offer in the pool
 *   POST /v1/apps/:app/sessions                     reserve a persistent session →
 *        201 {session_id, app_url, control_url, orchestrator} (URLs on this gateway)
 *   ANY  /v1/apps/:app/sessions/:id/app/*           the session's app, streamed both ways (WebSocket upgrades too)
 *   POST /v1/apps/:app/sessions/:id/stop            stop paying, release → 204
 *   ANY  /v1/apps/:app/app/*                        one single-shot call (failover before the app saw a byte)
 * `:app` is the app id URL-encoded (`live-video-to-video%2Fscope`). `Lpx-Max-Price`
 * (wei per unit) lowers the price ceiling for one request. Refusals are
 * problem+json with lpx codes; app answers pass through untouched.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../../http/problem-json.js';
import type { Readable } from 'node:stream';
import { errors, isLpxError, type RationalPrice } from '@lpx/sdk';
import { callLiveApp, pipeUpgrade, refuseUpgrade } from '../../network/live-runner/index.js';
import { BodyTooLargeError, passBodyThrough, readAtMost } from '../../network/segment/request-body.js';
import type { LiveRunnerDirectory } from './live-runner-directory.js';
import { MAX_PRICE_HEADER, parseMaxPriceHeader, type LiveRunnerCeilings } from './live-runner-price.js';
import { appPath, outgoingHeaders, relayResponse } from './live-runner-proxy.js';
import type { LiveRunnerRouter } from './live-runner-router.js';
import type { TenantBudgets } from './tenants/tenant-budgets.js';
import type { Tenant, TenantDirectory } from './tenants/tenant-directory.js';
import { documentRoutes } from '../../http/openapi/route-docs.js';
import { liveRunnerRouteDocs } from './gateway-route-docs.js';

export interface LiveRunnerRoutesDeps {
  readonly router: LiveRunnerRouter;
  readonly directory: Pick<LiveRunnerDirectory, 'apps' | 'refresh'>;
  readonly tenants: TenantDirectory;
  readonly budgets: TenantBudgets;
  readonly ceilings: LiveRunnerCeilings;
  maxPriceOf(tenant: string | undefined): RationalPrice | undefined;
  /** Until the app's answer headers on a session request (its body may stream for ever). */
  readonly requestTimeoutMs: number;
  /** Largest single-shot body: it is kept so the call can go to another orchestrator. */
  readonly maxSingleShotBodyBytes: number;
}

/** Capability id tenants' allow-lists name Live Runner apps by. */
export function liveRunnerCapability(app: string): string {
  return `live-runner/${app}`;
}

interface AppParams {
  app: string;
  id?: string;
  '*'?: string;
}

function checkApp(app: string): string {
  if (app === '' || app.length > 256 || app.trim() !== app) throw errors.http.BAD_REQUEST.create(`${JSON.stringify(app)} is not an app id`);
  return app;
}

async function admit(deps: LiveRunnerRoutesDeps, request: FastifyRequest, reply: FastifyReply, app: string | undefined): Promise<Tenant | undefined> {
  let tenant: Tenant | undefined;
  try {
    tenant = deps.tenants.authenticate(request.headers.authorization);
  } catch (error) {
    reply.header('www-authenticate', 'Bearer realm="lpx"');
    throw error;
  }
  if (tenant === undefined || app === undefined) return tenant;
  if (!tenant.allows(liveRunnerCapability(app))) throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${tenant.name} may not use ${liveRunnerCapability(app)}`);
  await deps.budgets.assertWithin(tenant);
  return tenant;
}

function ceilings(deps: LiveRunnerRoutesDeps, request: FastifyRequest, tenant: Tenant | undefined) {
  return { gateway: deps.ceilings, tenant: deps.maxPriceOf(tenant?.name), request: parseMaxPriceHeader(request.headers[MAX_PRICE_HEADER]) };
}

function base(request: FastifyRequest, app: string): string {
  return `${request.protocol}://${request.host}/v1/apps/${encodeURIComponent(app)}`;
}

export function registerLiveRunnerRoutes(app: FastifyInstance, deps: LiveRunnerRoutesDeps): void {
  app.register(async (scope) => {
    // App bodies stream through untouched (sessions) or are read within a limit (single-shot).
    passBodyThrough(scope);
    documentRoutes(scope, liveRunnerRouteDocs);

    scope.get('/v1/apps', async (request, reply) => {
      await admit(deps, request, reply, undefined);
      await deps.directory.refresh();
      return { apps: deps.directory.apps() };
    });

    scope.post<{ Params: AppParams }>('/v1/apps/:app/sessions', async (request, reply) => {
      const appId = checkApp(request.params.app);
      const tenant = await admit(deps, request, reply, appId);
      const session = await deps.router.reserve({ app: appId, tenant: tenant?.name, ceilings: ceilings(deps, request, tenant) });
      const control = `${base(request, appId)}/sessions/${session.id}`;
      return reply.status(201).send({ session_id: session.id, app_url: `${control}/app`, control_url: control, orchestrator: session.orchestrator });
    });

    scope.post<{ Params: AppParams }>('/v1/apps/:app/sessions/:id/stop', async (request, reply) => {
      const appId = checkApp(request.params.app);
      const tenant = await admit(deps, request, reply, appId);
      await deps.router.stop(deps.router.get(request.params.id!, appId, tenant?.name));
      return reply.status(204).send();
    });

    const sessionApp = async (request: FastifyRequest<{ Params: AppParams }>, reply: FastifyReply) => {
      const appId = checkApp(request.params.app);
      const tenant = await admit(deps, request, reply, appId);
      const session = deps.router.get(request.params.id!, appId, tenant?.name);
      const hasBody = request.body !== undefined && request.body !== null;
      let response;
      try {
        response = await callLiveApp(session.reply.appUrl, { method: request.method, path: appPath(request.params['*'], request.url), headers: outgoingHeaders(request.headers), body: hasBody ? (request.body as Readable) : null }, { timeoutMs: deps.requestTimeoutMs, bodyTimeoutMs: 0 });
      } catch (cause) {
        throw errors.liveRunner.UPSTREAM_FAILED.create(`the app of session ${session.id} on ${session.orchestrator} could not be reached: ${(cause as Error).message}`, { cause: cause as Error });
      }
      relayResponse(request, reply, response, () => undefined);
      return reply;
    };
    scope.all('/v1/apps/:app/sessions/:id/app', sessionApp);
    scope.all('/v1/apps/:app/sessions/:id/app/*', sessionApp);

    const singleShot = async (request: FastifyRequest<{ Params: AppParams }>, reply: FastifyReply) => {
      const appId = checkApp(request.params.app);
      const tenant = await admit(deps, request, reply, appId);
      let body: Buffer | null = null;
      if (request.body !== undefined && request.body !== null) {
        try {
          body = await readAtMost(request.body as Readable, deps.maxSingleShotBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLargeError) throw errors.http.BODY_TOO_LARGE.create(`a single-shot body is at most ${deps.maxSingleShotBodyBytes} bytes`);
          throw error;
        }
      }
      const call = await deps.router.singleShot({
        app: appId,
        tenant: tenant?.name,
        ceilings: ceilings(deps, request, tenant),
        call: { method: request.method, path: appPath(request.params['*'], request.url), headers: outgoingHeaders(request.headers), body },
      });
      relayResponse(request, reply, call.response, () => void call.done(), { 'lpx-orchestrator': call.orchestrator });
      return reply;
    };
    scope.all('/v1/apps/:app/app', singleShot);
    scope.all('/v1/apps/:app/app/*', singleShot);
  });
  registerSessionUpgrades(app, deps);
}

const SESSION_APP = /^\/v1\/apps\/([^/?]+)\/sessions\/([^/?]+)\/app(\/[^?]*)?(\?.*)?$/;

/**
 * WebSocket upgrades on a session's app URL, relayed to the orchestrator's
 * app_url byte for byte (Fastify routes no upgrades, so this listens on the
 * server). Tenants authenticate as on the other routes; refusals are
 * problem+json.
 */
function registerSessionUpgrades(app: FastifyInstance, deps: LiveRunnerRoutesDeps): void {
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const match = SESSION_APP.exec(request.url ?? '');
    if (match === null) {
      // Others may handle theirs; alone, nobody would answer.
      if (app.server.listenerCount('upgrade') === 1) refuseUpgrade(socket, 404, `no upgrade route for ${request.url ?? ''}`);
      return;
    }
    try {
      const appId = checkApp(decodeURIComponent(match[1]!));
      const tenant = deps.tenants.authenticate(request.headers.authorization);
      if (tenant !== undefined && !tenant.allows(liveRunnerCapability(appId))) throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${tenant.name} may not use ${liveRunnerCapability(appId)}`);
      const session = deps.router.get(decodeURIComponent(match[2]!), appId, tenant?.name);
      const target = new URL(`${session.reply.appUrl}${match[3] ?? ''}${match[4] ?? ''}`);
      pipeUpgrade(request, socket, head, target, (name) => name !== 'authorization' && name !== MAX_PRICE_HEADER && !name.startsWith('livepeer-'));
    } catch (error) {
      const coded = isLpxError(error) ? error : errors.http.INTERNAL.create('the upgrade failed');
      const problem = { type: 'about:blank', title: STATUS_CODES[coded.status] ?? 'Error', status: coded.status, detail: coded.message, code: coded.code, instance: request.url ?? '' };
      refuseUpgrade(socket, coded.status, JSON.stringify(problem), PROBLEM_CONTENT_TYPE);
    }
  });
}
