/**
 * `POST /ai/stream/start` (go-livepeer's StartStream), in this order — every
 * refusal before step 4 leaves nothing reserved and nothing debited:
 * 1. 400: the `Livepeer` header does not verify, JobParameters or the body is
 *    not the JSON expected;
 * 2. 400 `No capacity available for capability`: no ready app serves the name;
 *    409 when a stream with this id runs or is starting; 400 `No capacity
 *    available for capability` when all the app's capacity is held (shared
 *    with `/process/request` jobs: both reserve `byoc/<name>` in the kernel's
 *    registry);
 * 3. priced apps: `Livepeer-Payment` is credited (400 when refused), then
 *    402 `Insufficient balance for request` below 60 s × price;
 * 4. channels `{base}-control`, `{base}-events` (application/json) and, as
 *    JobParameters ask, `{base}` (ingress, video/MP2T), `{base}-out` (egress,
 *    video/MP2T), `{base}-data` (application/jsonl);
 * 5. `POST {app}/stream/start` with the client's JSON plus
 *    `gateway_request_id`, `control_url`, `events_url`, `subscribe_url`,
 *    `publish_url`, `data_url` (the node's keys win over the client's);
 * 6. the app failed (transport: 500 `Error sending request to worker`; 401:
 *    500 `Orchestrator worker failure`; ≥ 400: its status and body): channels
 *    removed, capacity released, nothing debited;
 * 7. success: ceil(seconds of the start call) × price debited, 200 with
 *    `X-Control-Url`, `X-Events-Url`, `X-Publish-Url`, `X-Subscribe-Url`,
 *    `X-Data-Url` (public URLs), `Livepeer-Balance`, an empty body; the
 *    stream holds its capacity unit and is debited until it stops.
 */
import { randomBytes } from 'node:crypto';
import { errors, type CapacityReservation, type FastifyReply, type FastifyRequest, type HostedByocApp, type TrickleChannel, type VerifiedByocJob } from '@lpx/sdk';
import { callApp, type AppAnswer, type AppTarget } from './app-calls.js';
import { billedSeconds, covers, parseBalance, priced } from './money.js';
import { BALANCE_HEADER, headerValue, refuse, refuseError } from './replies.js';
import { balanceHeader, type StreamRouteDeps } from './route-deps.js';
import { parseStartBody, parseStreamParameters, type StreamParameters } from './stream-request.js';

/** go-livepeer requires one minute of credit before a stream starts. */
export const MIN_BALANCE_SECONDS = 60n;
const NO_CAPACITY_TEXT = 'No capacity available for capability';

interface Opened {
  readonly names: string[];
  /** Reply headers: the URLs the gateway uses. */
  readonly headers: Record<string, string>;
  /** Body keys: the URLs the app uses (the node's internal address). */
  readonly forApp: Record<string, string>;
}

/**
 * Channel names: an unguessable base, then go-livepeer's suffixes. go-livepeer
 * names them after the stream id; here a channel URL is the only credential its
 * readers and writers need (docs/adr/0039-trickle-plugin.md), and both sides
 * get the URLs in full, so the base is random.
 */
async function openChannels(deps: StreamRouteDeps, params: StreamParameters, opened: Opened): Promise<void> {
  const base = randomBytes(16).toString('hex');
  const make = async (suffix: string, mimeType: string): Promise<TrickleChannel> => {
    const channel = await deps.trickle.create({ name: `${base}${suffix}`, mimeType });
    opened.names.push(channel.name);
    return channel;
  };
  const add = (channel: TrickleChannel, header: string, key: string): void => {
    opened.headers[header] = channel.url;
    opened.forApp[key] = channel.internalUrl;
  };
  add(await make('-control', 'application/json'), 'X-Control-Url', 'control_url');
  add(await make('-events', 'application/json'), 'X-Events-Url', 'events_url');
  // The gateway publishes input where the app subscribes, and the other way round.
  if (params.videoIngress) add(await make('', 'video/MP2T'), 'X-Publish-Url', 'subscribe_url');
  if (params.videoEgress) add(await make('-out', 'video/MP2T'), 'X-Subscribe-Url', 'publish_url');
  if (params.dataOutput) add(await make('-data', 'application/jsonl'), 'X-Data-Url', 'data_url');
}

function readyApp(deps: StreamRouteDeps, capability: string): HostedByocApp | undefined {
  const app = deps.hosted.get(capability);
  if (app === undefined || !app.ready || deps.capabilities.get(app.capabilityId) === undefined) return undefined;
  return app;
}

function reserve(deps: StreamRouteDeps, app: HostedByocApp): CapacityReservation | undefined {
  if (deps.capabilities.available(app.capabilityId) < 1) return undefined;
  try {
    return deps.capabilities.reserve(app.capabilityId);
  } catch {
    return undefined;
  }
}

function relayAppFailure(reply: FastifyReply, answer: AppAnswer, balance: string): FastifyReply {
  reply.header(BALANCE_HEADER, balance);
  // go-livepeer: a 401 drops the capability and hides the app's answer behind a 500.
  if (answer.status === 401) return refuse(reply, 500, 'Orchestrator worker failure', errors.byoc.STREAM_WORKER_FAILED.code);
  if (answer.contentType !== undefined) reply.header('content-type', answer.contentType);
  return reply.code(answer.status).send(answer.body);
}

export function startStreamHandler(deps: StreamRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let job: VerifiedByocJob;
    let params: StreamParameters;
    let clientBody: Record<string, unknown>;
    try {
      job = deps.wire.byocJobs.verify(headerValue(request.headers['livepeer']));
      params = parseStreamParameters(job.parameters);
      clientBody = parseStartBody(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
    } catch (error) {
      return refuseError(reply, error, { status: 400 });
    }
    if (job.id === '') return refuse(reply, 400, 'JobRequest.id is empty: it names the stream', errors.byoc.STREAM_PARAMETERS_INVALID.code);
    const app = readyApp(deps, job.capability);
    if (app === undefined) return refuse(reply, 400, NO_CAPACITY_TEXT, errors.byoc.STREAM_CAPABILITY_UNKNOWN.code);
    if (!deps.table.claim(job.id)) return refuse(reply, 409, `stream already exists: ${job.id}`, errors.byoc.STREAM_EXISTS.code);
    const reservation = reserve(deps, app);
    if (reservation === undefined) {
      deps.table.unclaim(job.id);
      return refuse(reply, 400, NO_CAPACITY_TEXT, errors.byoc.STREAM_NO_CAPACITY.code);
    }

    const opened: Opened = { names: [], headers: {}, forApp: {} };
    let handedOver = false;
    try {
      const price = deps.wire.byocJobs.priceFor(job.capability, job.sender);
      if (priced(price)) {
        try {
          await deps.wire.byocJobs.pay({ sender: job.sender, capability: job.capability, payment: headerValue(request.headers['livepeer-payment']) });
        } catch (error) {
          return refuseError(reply, error, { status: 400 });
        }
        const balance = parseBalance(await deps.wire.payments.balance({ sender: job.sender, manifestId: job.capability }));
        if (!covers(balance, price, MIN_BALANCE_SECONDS)) return refuse(reply, 402, 'Insufficient balance for request', errors.byoc.STREAM_INSUFFICIENT_BALANCE.code);
      }

      await openChannels(deps, params, opened);
      const target: AppTarget = { url: app.pick?.() ?? app.url, ...(app.token !== undefined ? { token: app.token } : {}) };
      const payload = { ...clientBody, gateway_request_id: job.id, ...opened.forApp };
      const started = deps.now();
      let answer: AppAnswer;
      try {
        answer = await callApp(target, '/stream/start', { streamId: job.id, body: JSON.stringify(payload), contentType: 'application/json', timeoutMs: job.timeoutSeconds * 1000 });
      } catch (error) {
        deps.logger.warn({ err: error, stream: job.id, app: app.name }, 'the app could not be reached for /stream/start');
        return refuse(reply, 500, 'Error sending request to worker', errors.byoc.STREAM_WORKER_FAILED.code);
      }
      if (answer.status > 399) {
        deps.logger.warn({ stream: job.id, app: app.name, status: answer.status }, 'the app refused /stream/start; nothing charged');
        return relayAppFailure(reply, answer, await balanceHeader(deps, job.sender, job.capability));
      }

      const record = {
        id: job.id,
        capability: job.capability,
        sender: job.sender,
        target,
        timeoutMs: job.timeoutSeconds * 1000,
        price,
        channels: [...opened.names],
        controlChannel: opened.names[0]!,
        reservation,
        startedAt: started,
      };
      deps.table.add(record);
      handedOver = true;
      if (priced(price)) {
        try {
          await deps.wire.payments.debit({ sender: job.sender, manifestId: job.capability, units: billedSeconds(deps.now() - started), price });
        } catch (error) {
          // The app runs the stream now: the interval debits still charge it.
          deps.logger.error({ err: error, stream: job.id }, 'could not debit the start of a BYOC stream');
        }
      }
      deps.logger.info({ stream: job.id, app: app.name, sender: job.sender, channels: opened.names.length }, 'BYOC stream started');
      const balance = await balanceHeader(deps, job.sender, job.capability);
      return reply.code(200).headers({ ...opened.headers, [BALANCE_HEADER]: balance }).send();
    } catch (error) {
      return refuseError(reply, error);
    } finally {
      if (!handedOver) {
        deps.table.unclaim(job.id);
        try {
          deps.capabilities.release(reservation);
        } catch {
          // The app's capability went away meanwhile, and its capacity ledger with it.
        }
        await Promise.all(opened.names.map((name) => deps.trickle.remove(name).catch(() => undefined)));
      }
    }
  };
}
