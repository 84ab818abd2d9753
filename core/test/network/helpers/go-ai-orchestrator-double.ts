/**
 * A TEST DOUBLE of a go-livepeer orchestrator's batch AI routes
 * (server/ai_http.go), standing in for the real binary, for "an lpx gateway
 * can use go-livepeer orchestrators". Its wire checks are its own: the
 * Livepeer-Segment header is read with its own .proto (go-livepeer's field
 * numbers), the gateway's signature is recovered with viem over its own
 * Flatten (manifestId ‖ pad32(seq) ‖ hash, no profiles), the manifest id
 * must be `<capability>_<model>` and the capabilities must carry the
 * pipeline's bit. Ticket validation and balances use lpx's PaymentProcessor
 * (the ticket cryptography is tested against go-livepeer's vectors
 * elsewhere), credited and debited under go-livepeer's AI balance key
 * `<capability>_<model>`.
 *
 * In go-livepeer's order and with its texts: 402 on an unreadable payment,
 * 403 on segment credentials, 503 `insufficient capacity`, 400 on the
 * payment or `Insufficient balance`, 500 on a failed run; on success it
 * debits units × price and answers go-livepeer's JSON (media as URLs on its
 * own server, or data URLs without the AI-worker Authorization), or SSE for
 * a streaming LLM request.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import protobuf from 'protobufjs';
import type { Test } from 'tap';
import { concat, keccak256, recoverMessageAddress, toBytes, bytesToHex, type Hex } from 'viem';
import type { LivepeerCapabilities } from '../../../src/capabilities/index.js';
import { bitstringOf } from '../../../src/capabilities/index.js';
import type { OrchestratorInfo } from '../../../src/network/index.js';
import { Balances, decodePaymentHeaderValue, PaymentProcessor, PrivateKeyTicketSigner, Rational, Recipient, SenderMonitor, toHex, type Address } from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../../src/payments/testing/index.js';

const root = protobuf.loadSync(fileURLToPath(new URL('./go-gateway-double.proto', import.meta.url)));
const SegDataType = root.lookupType('net.SegData');

export interface GoAIModel {
  readonly pipeline: string;
  /** go-livepeer's capability number (27 text-to-image ... 33 llm). */
  readonly capability: number;
  readonly modelId: string;
  readonly warm: boolean;
  readonly price: Rational;
}

export type GoAIMode = 'ok' | 'busy' | 'fail' | 'runner-400' | 'expired';

export interface GoAICall {
  readonly pipeline: string;
  readonly manifestId: string;
  readonly sender: string;
  readonly units: bigint;
  readonly status: number;
  readonly authorization: string;
}

export interface GoAIChain {
  readonly rounds: InMemoryRoundsSource;
  readonly senderInfo: InMemorySenderInfoSource;
}

/** Units go-livepeer's O debits for the test pipelines (ai_http.go). */
function unitsOf(pipeline: string, body: Record<string, unknown>): bigint {
  if (pipeline === 'text-to-image') {
    const n = BigInt(Math.max(1, Number(body.num_images_per_prompt ?? 1)));
    return BigInt(Number(body.height ?? 512)) * BigInt(Number(body.width ?? 512)) * n;
  }
  if (pipeline === 'llm') return BigInt(Number(body.max_tokens ?? 0));
  return 1n;
}

/** core/streamdata.go Flatten for an AI request (no profiles). */
function flatten(manifestId: Uint8Array, seq: bigint, hash: Uint8Array): Uint8Array {
  // Go's big.Int.Bytes(): minimal big-endian, nothing for 0.
  const seqBytes = seq === 0n ? new Uint8Array(0) : toBytes(seq);
  const padded = new Uint8Array(32);
  padded.set(seqBytes, 32 - seqBytes.length);
  return concat([manifestId, padded, hash]);
}

export class GoAIOrchestratorDouble {
  uri = '';
  mode: GoAIMode = 'ok';
  /** Answers this many requests at once; beyond that, 503 `insufficient capacity`. */
  capacity = Infinity;
  readonly calls: GoAICall[] = [];
  /** SSE connections the gateway closed before the stream ended. */
  streamsAbandoned = 0;
  /** One per SSE answer, in order: whether the gateway read it to its last chunk or hung up first. */
  readonly streams: Promise<'completed' | 'abandoned'>[] = [];
  readonly address: Address;
  readonly processor: PaymentProcessor;
  readonly recipient: Recipient;
  readonly #models: readonly GoAIModel[];
  readonly #files = new Map<string, Buffer>();
  #running = 0;

  constructor(chain: GoAIChain, models: readonly GoAIModel[]) {
    this.#models = models;
    this.address = new PrivateKeyTicketSigner(randomBytes(32)).address;
    const senderMonitor = new SenderMonitor({ claimant: this.address }, chain.rounds, chain.senderInfo);
    this.recipient = new Recipient({ address: this.address, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } }, { rounds: chain.rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor });
    this.processor = new PaymentProcessor({ recipient: this.recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds: chain.rounds, senderMonitor });
  }

  /** What its GetOrchestrator answers: with the job's capabilities, the model's price in price_info (PriceInfoForCaps). */
  async info(gateway: Address, capabilities?: LivepeerCapabilities): Promise<OrchestratorInfo> {
    const asked = capabilities === undefined ? undefined : this.#models.find((m) => capabilities.constraints.perCapability[m.capability]?.models[m.modelId] !== undefined);
    const price = asked?.price ?? Rational.of(0n);
    const params = await this.recipient.ticketParams(gateway, price.isZero() ? Rational.of(1n, 1_000_000n) : price);
    const perCapability: LivepeerCapabilities['constraints']['perCapability'] = {};
    for (const m of this.#models) {
      perCapability[m.capability] ??= { models: {} };
      perCapability[m.capability]!.models[m.modelId] = { warm: m.warm, capacity: 1, runnerVersion: '', capacityInUse: 0 };
    }
    return {
      transcoder: this.uri,
      ticketParams: params,
      priceInfo: { pricePerUnit: price.num, pixelsPerUnit: price.den },
      address: this.address,
      capabilities: {
        bitstring: bitstringOf([0, 1, ...this.#models.map((m) => m.capability)]),
        mandatories: [],
        capacities: Object.fromEntries(this.#models.map((m) => [m.capability, 1])),
        version: '0.8.5',
        constraints: { minVersion: '', perCapability },
      },
      authToken: { token: randomBytes(32), sessionId: randomUUID(), expiration: BigInt(Math.floor(Date.now() / 1000) + 1800) },
      hardware: [],
      storage: [],
      capabilitiesPrices: capabilities === undefined ? this.#models.map((m) => ({ capability: m.capability, constraint: m.modelId, pricePerUnit: m.price.num, pixelsPerUnit: m.price.den })) : [],
      nodes: [],
    };
  }

  async balance(gateway: Address, model: GoAIModel): Promise<Rational | undefined> {
    return this.processor.balance(gateway, `${model.capability}_${model.modelId}`);
  }

  async start(t: Test): Promise<this> {
    const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
    for (const model of this.#models) {
      if (app.hasRoute({ method: 'POST', url: `/${model.pipeline}` })) continue;
      app.post(`/${model.pipeline}`, async (request, reply) => {
        const text = (status: number, message: string) => reply.status(status).type('text/plain').send(`${message}\n`);
        let payment;
        try {
          payment = decodePaymentHeaderValue(String(request.headers['livepeer-payment'] ?? ''));
        } catch (error) {
          return text(402, (error as Error).message);
        }
        // Segment credentials: its own decode and signature recovery.
        let seg: { manifestId: Uint8Array; seq: bigint; hash: Uint8Array; sig: Uint8Array; capabilities?: { bitstring?: unknown[] } };
        try {
          const decoded = SegDataType.toObject(SegDataType.decode(Buffer.from(String(request.headers['livepeer-segment'] ?? ''), 'base64')), { longs: String, bytes: Array }) as Record<string, unknown>;
          seg = {
            manifestId: new Uint8Array((decoded.manifestId as number[]) ?? []),
            seq: BigInt((decoded.seq as string) ?? '0'),
            hash: new Uint8Array((decoded.hash as number[]) ?? []),
            sig: new Uint8Array((decoded.sig as number[]) ?? []),
            ...(decoded.capabilities !== undefined ? { capabilities: decoded.capabilities as { bitstring?: unknown[] } } : {}),
          };
        } catch {
          return text(403, 'invalid segment credentials');
        }
        const signer = await recoverMessageAddress({ message: { raw: keccak256(flatten(seg.manifestId, seg.seq, seg.hash)) }, signature: bytesToHex(seg.sig) as Hex }).catch(() => '');
        const sender = payment.sender === undefined ? '' : toHex(payment.sender);
        if (signer.toLowerCase() !== sender.toLowerCase()) return text(403, 'ErrSegSig');
        const manifestId = Buffer.from(seg.manifestId).toString('utf8');
        const body = request.body as Record<string, unknown>;
        const modelId = String(body.model_id ?? body.model ?? '');
        const served = this.#models.find((m) => m.pipeline === model.pipeline && m.modelId === modelId);
        const bits = (seg.capabilities?.bitstring ?? []).map((w) => BigInt(String(w)));
        if (served === undefined || manifestId !== `${served.capability}_${served.modelId}` || ((bits[0] ?? 0n) & (1n << BigInt(served.capability))) === 0n) {
          return text(403, 'incompatible capabilities');
        }
        const units = unitsOf(model.pipeline, body);
        const record = (status: number) => this.calls.push({ pipeline: model.pipeline, manifestId, sender, units, status, authorization: String(request.headers.authorization ?? '') });
        if (this.mode === 'busy' || this.#running >= this.capacity) {
          record(503);
          return text(503, 'insufficient capacity');
        }
        try {
          await this.processor.processPayment(payment, manifestId);
        } catch (error) {
          record(400);
          return text(400, (error as Error).message);
        }
        if (this.mode === 'expired') {
          record(400);
          return text(400, 'TicketParams expired');
        }
        if (!served.price.isZero() && !(await this.processor.hasSufficientBalance(payment.sender!, manifestId))) {
          record(400);
          return text(400, 'Insufficient balance');
        }
        if (this.mode === 'fail') {
          record(500);
          return text(500, 'runner failed');
        }
        if (this.mode === 'runner-400') {
          record(400);
          return text(400, 'failed to process: runner returned 400 prompt is too naughty');
        }
        record(200);
        await this.processor.debit(payment.sender!, manifestId, units, served.price);
        if (model.pipeline === 'llm' && body.stream === true) return this.#stream(reply);
        if (model.pipeline === 'llm') {
          return { id: 'chat-1', model: modelId, created: 1, choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
        }
        const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(32)]);
        const name = `${randomUUID()}.png`;
        this.#files.set(name, png);
        const aiWorker = request.headers.authorization === 'Livepeer-AI-Worker-1.0';
        const url = aiWorker ? `${this.uri}/stream/${manifestId.replace(/\//g, '_')}/${name}` : `data:image/png;base64,${png.toString('base64')}`;
        return { images: [{ url, seed: 42, nsfw: false }] };
      });
    }
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_r, b, done) => done(null, { raw: b }));
    app.get<{ Params: { m: string; name: string } }>('/stream/:m/:name', async (request, reply) => {
      const data = this.#files.get(request.params.name);
      return data === undefined ? reply.status(404).send('not found') : reply.type('image/png').send(data);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    t.teardown(() => app.close());
    this.uri = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return this;
  }

  /**
   * go-livepeer relays the runner's SSE as `data: <json>\n\n`; ends after the chunk with a finish_reason.
   * A gateway may hang up once it has that chunk (it reads no further), so only a close seen before the
   * last chunk was written counts as abandoned.
   */
  async #stream(reply: import('fastify').FastifyReply): Promise<void> {
    let outcome!: (result: 'completed' | 'abandoned') => void;
    this.streams.push(new Promise((resolve) => (outcome = resolve)));
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let closed = false;
    raw.on('close', () => (closed = true));
    for (let i = 0; i < 5; i++) {
      if (closed || raw.destroyed) {
        this.streamsAbandoned++;
        return outcome('abandoned');
      }
      const last = i === 4;
      raw.write(`data: ${JSON.stringify({ id: 'chat-1', model: 'm', created: 1, choices: [{ index: 0, delta: { content: `t${i}` }, finish_reason: last ? 'stop' : '' }], usage: { prompt_tokens: 1, completion_tokens: i + 1, total_tokens: i + 2 } })}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    raw.end();
    outcome('completed');
  }
}
