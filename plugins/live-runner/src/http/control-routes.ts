/**
 * go-livepeer's Live Runner control routes on the orchestrator's front door:
 * discovery, dynamic registration, session reservation / payment / stop, and
 * the runner's session callbacks (trickle channels, proxies, self-stop),
 * which need the session token go-livepeer derives per session.
 */
import { errors, type TrickleChannel } from '@lpx/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LiveRunnerNode } from '../live-runner-node.js';
import { discoveryJson } from './discovery.js';
import { header, jsonBody, sendJson, sendRefusal } from './replies.js';
import * as schemas from './route-schemas.js';

export const MAX_CHANNELS_PER_REQUEST = 25;
// go-livepeer's alphabet; the length bound keeps `<session>-<random>-<name>` a valid trickle name (≤ 128).
const CHANNEL_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_CHANNEL_NAME = 64;

type Params = { runner: string; session: string };

function channelList(body: unknown): unknown[] {
  const channels = (body as { channels?: unknown } | null)?.channels;
  if (!Array.isArray(channels) || channels.length === 0) throw errors.liveRunner.CHANNELS_INVALID.create('channels is required');
  if (channels.length > MAX_CHANNELS_PER_REQUEST) throw errors.liveRunner.CHANNELS_INVALID.create(`channels cannot contain more than ${MAX_CHANNELS_PER_REQUEST} entries`, { details: { count: channels.length } });
  return channels;
}

function channelName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim().replaceAll('/', '-') : '';
  if (name === '') throw errors.liveRunner.CHANNELS_INVALID.create('trickle channel name is required');
  if (name.length > MAX_CHANNEL_NAME) throw errors.liveRunner.CHANNELS_INVALID.create(`trickle channel name must be at most ${MAX_CHANNEL_NAME} characters`, { details: { name } });
  if (!CHANNEL_NAME.test(name)) throw errors.liveRunner.CHANNELS_INVALID.create('trickle channel name may only contain alphanumerics, underscores, or hyphens', { details: { name } });
  return name;
}

function describe(name: string, channel: TrickleChannel): Record<string, string> {
  return { name, channel_name: channel.name, url: channel.url, internal_url: channel.internalUrl, mime_type: channel.mimeType };
}

export function registerControlRoutes(scope: FastifyInstance, node: LiveRunnerNode): void {
  // Bodies stay bytes: go-livepeer's runners and clients do not always label their JSON.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
  const { table } = node;
  const unexpected = (error: unknown) => node.deps.onError(error, 'live runner route');
  const handle =
    (run: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => Promise<unknown> | unknown) =>
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      try {
        return await run(request, reply);
      } catch (error) {
        return sendRefusal(reply, error, unexpected);
      }
    };
  const json = (request: FastifyRequest, empty: unknown, code: typeof errors.liveRunner.HEARTBEAT_INVALID) => jsonBody(request, empty, (message) => code.create(message));

  scope.get('/discovery', { schema: schemas.discoverySchema }, async (_request, reply) => reply.code(200).header('content-type', 'application/json').send(discoveryJson(node)));

  scope.post(
    '/runners/heartbeat',
    { schema: schemas.heartbeatSchema },
    handle(async (request, reply) => {
      const body = json(request, undefined, errors.liveRunner.HEARTBEAT_INVALID);
      return sendJson(reply, await node.dynamics.heartbeat(body, header(request, 'authorization')));
    }),
  );
  scope.post(
    '/runners/:runner/unregister',
    { schema: schemas.unregisterSchema },
    handle((request, reply) => {
      node.dynamics.unregister(request.params.runner, header(request, 'authorization'));
      return reply.code(204).send();
    }),
  );

  scope.post(
    '/apps/:runner/session',
    { schema: schemas.openSessionSchema },
    handle(async (request, reply) => {
      const runner = table.readyRunner(request.params.runner);
      if (runner.spec.mode !== 'persistent') throw errors.liveRunner.MODE_MISMATCH.create('only persistent runners have sessions');
      const reservation = await node.payments.reserve(runner, { payment: header(request, 'livepeer-payment'), segment: header(request, 'livepeer-segment'), payer: header(request, 'livepeer-payer-address') });
      if (reservation.kind === 'challenge') return sendJson(reply, reservation.body, 402);
      const { session } = reservation;
      // proxy: true gives every new session a random proxy URL to the runner as its app URL.
      if (runner.spec.proxy) session.appUrl = node.createProxy(runner, session, undefined).url;
      const route = encodeURIComponent(runner.route);
      return sendJson(reply, { session_id: session.id, app_url: session.appUrl, control_url: `${node.serviceUri()}/apps/${route}/session/${encodeURIComponent(session.id)}` });
    }),
  );
  scope.post(
    '/apps/:runner/session/:session/stop',
    { schema: schemas.stopSessionSchema },
    handle((request, reply) => {
      const { runner } = table.session(request.params.runner, request.params.session);
      table.release(runner, request.params.session, 'stopped by the client');
      return reply.code(204).send();
    }),
  );
  scope.post(
    '/apps/:runner/session/:session/payment',
    { schema: schemas.sessionPaymentSchema },
    handle(async (request, reply) => {
      const { session } = table.session(request.params.runner, request.params.session);
      const result = await node.payments.pay(session, { payment: header(request, 'livepeer-payment'), segment: header(request, 'livepeer-segment') });
      return reply.code(200).header('content-type', 'application/octet-stream').send(Buffer.from(result));
    }),
  );

  const callback = (request: FastifyRequest<{ Params: Params }>) => table.checkToken(node.callbackRunner(request.params.runner), request.params.session, header(request, 'livepeer-session-token'));
  scope.post(
    '/runner/:runner/session/:session/channels',
    { schema: schemas.createChannelsSchema },
    handle(async (request, reply) => {
      const { session } = callback(request);
      const wanted = channelList(json(request, undefined, errors.liveRunner.CHANNELS_INVALID)).map((entry) => {
        const e = (entry ?? {}) as { name?: unknown; mime_type?: unknown };
        const mimeType = typeof e.mime_type === 'string' && e.mime_type.trim() !== '' ? e.mime_type : 'application/octet-stream';
        return { name: channelName(e.name), mimeType };
      });
      const out = [];
      for (const { name, mimeType } of wanted) {
        let channel = session.channels.get(name);
        // The trickle server sweeps channels idle too long: a name whose channel is gone is made again.
        if (channel !== undefined && !node.deps.trickle.exists(channel.name)) channel = undefined;
        if (channel === undefined) {
          // Random in the middle: the channel URL is the credential (go-livepeer names it `<session>-<name>`).
          channel = await node.deps.trickle.create({ name: `${session.id}-${node.newChannelSecret()}-${name}`, mimeType });
          if (session.abort.signal.aborted) {
            await node.deps.trickle.remove(channel.name);
            throw errors.liveRunner.SESSION_UNKNOWN.create('runner session not found');
          }
          session.channels.set(name, channel);
        }
        out.push(describe(name, channel));
      }
      return sendJson(reply, { channels: out });
    }),
  );
  scope.delete(
    '/runner/:runner/session/:session/channels',
    { schema: schemas.deleteChannelsSchema },
    handle(async (request, reply) => {
      const { session } = callback(request);
      const names = channelList(json(request, undefined, errors.liveRunner.CHANNELS_INVALID)).map(channelName);
      for (const name of names) {
        const channel = session.channels.get(name);
        if (channel === undefined) throw errors.trickle.CHANNEL_NOT_FOUND.create('trickle channel not found', { details: { name } });
        session.channels.delete(name);
        await node.deps.trickle.remove(channel.name);
      }
      return sendJson(reply, { deleted: names });
    }),
  );
  scope.post(
    '/runner/:runner/session/:session/proxy',
    { schema: schemas.createProxySchema },
    handle((request, reply) => {
      const { runner, session } = callback(request);
      const body = json(request, {}, errors.liveRunner.PROXY_TARGET_INVALID) as { target_url?: unknown } | null;
      const target = body?.target_url;
      if (target !== undefined && typeof target !== 'string') throw errors.liveRunner.PROXY_TARGET_INVALID.create('target_url must be a string');
      return sendJson(reply, node.createProxy(runner, session, target));
    }),
  );
  scope.post(
    '/runner/:runner/session/:session/stop',
    { schema: schemas.runnerStopSchema },
    handle((request, reply) => {
      const { runner, session } = callback(request);
      table.release(runner, session.id, 'stopped by the runner');
      return reply.code(204).send();
    }),
  );
}
