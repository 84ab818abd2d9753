/**
 * Starts a BYOC stream on an orchestrator (go-livepeer byoc/stream_gateway.go
 * runStream, done before the client gets its answer): walk the token search's
 * list in arrival order; before every try after the first, refresh that
 * orchestrator's token (fresh ticket params and balance, capacity confirmed);
 * sign the JobRequest, pay what the fresh balance lacks, `POST
 * /ai/stream/start` with `{"params": …}`.
 * - 2xx with control and events channel URLs: started;
 * - 4xx: the orchestrator judged the request: it goes back to the client —
 *   except 400 "No capacity available for capability", which is about the
 *   orchestrator (full since its token was given): the next one;
 * - 5xx, a transport error or a start without its channels: the next one,
 *   unless go-livepeer's swap rule says stop — more than 2 swaps with the
 *   previous one less than a minute ago.
 * Tickets sent to an orchestrator that then failed are spent, as upstream;
 * they stay credited to us there.
 */
import { errors } from '@lpx/sdk';
import { balanceOf, callStreamRoute, firstHeader, type StreamAnswer } from '../../network/byoc/stream-client.js';
import { refreshStreamToken, searchStreamTokens, type FoundToken } from '../../network/byoc/stream-token-search.js';
import { channelUrl, STREAM_URL_HEADERS, type StreamChannel } from '../../network/byoc/stream-types.js';
import { toHex } from '../../payments/index.js';
import { streamPayment, type StreamCharge } from './byoc-stream-payer.js';
import { StreamSession, type StreamWire } from './byoc-stream-session.js';

/** go-livepeer: give up once more than this many swaps happened… */
export const MAX_QUICK_SWAPS = 2;
/** …and the previous swap was less than this long ago. */
export const QUICK_SWAP_WINDOW_MS = 60_000;

/** The orchestrator's text (go-livepeer's and lpx's) for a capability it has no room for or does not offer. */
const NO_CAPACITY = 'No capacity available for capability';

export interface StreamStart {
  readonly id: string;
  readonly tenant: string | undefined;
  readonly capability: string;
  /** The client's JobRequest.request and .parameters, signed as sent. */
  readonly request: string;
  readonly parameters: string;
  readonly timeoutSeconds: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** The body for the orchestrator: `{"params": …}`. */
  readonly body: string;
  readonly charge: StreamCharge | undefined;
}

export interface StartAttempt {
  readonly uri: string;
  readonly outcome: string;
}

/** go-livepeer's swap counter: call before moving on; false means give up. */
export class SwapLimit {
  #first = false;
  #count = 0;
  #last = 0;
  constructor(private readonly now: () => number) {}

  allowsAnother(): boolean {
    if (this.#first && this.#count > MAX_QUICK_SWAPS && this.now() - this.#last < QUICK_SWAP_WINDOW_MS) return false;
    if (this.#first) {
      this.#last = this.now();
      this.#count++;
    } else {
      this.#first = true;
    }
    return true;
  }
}

function channelsOf(answer: StreamAnswer, serviceAddr: string): Partial<Record<StreamChannel, string>> {
  const out: Partial<Record<StreamChannel, string>> = {};
  for (const [name, header] of Object.entries(STREAM_URL_HEADERS) as [StreamChannel, string][]) {
    const url = channelUrl(firstHeader(answer.headers, header), serviceAddr);
    if (url !== undefined) out[name] = url;
  }
  return out;
}

function refused(answer: StreamAnswer, uri: string): Error {
  const text = answer.body.toString('utf8').trim();
  return errors.byoc.STREAM_ORCHESTRATOR_REFUSED.create(`${uri} refused the stream: ${answer.status} ${text.slice(0, 500)}`, { details: { status: answer.status, text, orchestrator: uri } });
}

export async function startStream(wire: StreamWire, candidates: readonly string[], start: StreamStart): Promise<StreamSession> {
  const sender = await wire.sender();
  const found = await searchStreamTokens({ candidates, capability: start.capability, sender, include: start.include, exclude: start.exclude });
  if (found.length === 0) {
    throw errors.byoc.STREAM_NO_ORCHESTRATOR.create(`no orchestrator offers ${start.capability} with free capacity (asked ${candidates.length})`, { details: { capability: start.capability, asked: candidates.length } });
  }
  const swaps = new SwapLimit(wire.now);
  const attempts: StartAttempt[] = [];
  for (const [index, candidate] of found.entries()) {
    let { token } = candidate;
    if (index > 0) {
      // go-livepeer keeps the old token when the refresh fails.
      token = await refreshStreamToken({ serviceAddr: token.serviceAddr || candidate.uri, capability: start.capability, sender }).catch(() => token);
    }
    const outcome = await tryStart(wire, { ...candidate, token }, start);
    if (outcome instanceof StreamSession) return outcome;
    if (typeof outcome !== 'string') throw outcome;
    attempts.push({ uri: candidate.uri, outcome });
    wire.logger.warn({ stream: start.id, orchestrator: candidate.uri, outcome }, 'orchestrator did not start the BYOC stream');
    if (!swaps.allowsAnother()) {
      throw errors.byoc.STREAM_NO_ORCHESTRATOR.create(`gave up starting ${start.capability} after ${attempts.length} orchestrators failed in quick succession`, { details: { attempts } });
    }
  }
  throw errors.byoc.STREAM_NO_ORCHESTRATOR.create(`every orchestrator offering ${start.capability} failed to start the stream`, { details: { attempts } });
}

/** A session, an error for the client (4xx), or why this orchestrator failed (try the next). */
async function tryStart(wire: StreamWire, found: FoundToken, start: StreamStart): Promise<StreamSession | Error | string> {
  const { token, uri } = found;
  const serviceAddr = token.serviceAddr || uri;
  let payment;
  try {
    payment = await streamPayment(wire.tickets, token, start.timeoutSeconds, start.charge);
  } catch (error) {
    // Over budget: no other orchestrator would be paid either. Tickets this one's params cannot make: try the next.
    if (errors.gateway.BUDGET_EXHAUSTED.is(error)) return error as Error;
    return `no payment could be made: ${(error as Error).message}`;
  }
  let answer: StreamAnswer;
  try {
    answer = await callStreamRoute({
      serviceAddr,
      route: '/ai/stream/start',
      job: { id: start.id, request: start.request, parameters: start.parameters, capability: start.capability, timeoutSeconds: start.timeoutSeconds },
      signer: wire.signer,
      payment: payment.header,
      body: start.body,
    });
  } catch (error) {
    return (error as Error).message;
  }
  // A full (or no longer offered) capability is about this orchestrator, not the request: another may have room.
  // Its token said otherwise a moment ago, so another gateway's start took the slot in between.
  if (answer.status === 400 && answer.body.toString('utf8').startsWith(NO_CAPACITY)) return `${answer.status} ${NO_CAPACITY}`;
  if (answer.status >= 400 && answer.status < 500) return refused(answer, uri);
  if (answer.status >= 500 || answer.status < 200 || answer.status > 299) return `${answer.status} ${answer.body.toString('utf8').trim().slice(0, 200)}`;
  const channels = channelsOf(answer, serviceAddr);
  const session = new StreamSession(wire, {
    id: start.id,
    tenant: start.tenant,
    capability: start.capability,
    orchestrator: { uri, serviceAddr, address: token.ticketParams === undefined ? '' : toHex(token.ticketParams.recipient) },
    channels,
    startedAt: wire.now(),
    balance: balanceOf(answer) ?? token.balance,
    chargedWei: payment.chargedWei,
    tickets: payment.tickets,
    charge: start.charge,
  });
  if (channels.control === undefined || channels.events === undefined) {
    // go-livepeer cannot run a stream without them either; let the orchestrator free its capacity.
    await session.end('failed', 'the orchestrator started the stream without control and events channels');
    return 'started without X-Control-Url / X-Events-Url';
  }
  return session;
}
