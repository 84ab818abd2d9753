/**
 * Payments hot paths against a raw baseline measured in the same run:
 *   1. orchestrator: ticket validation + credit (PaymentProcessor on decoded
 *      payments) vs raw native secp256k1 ecdsaRecover, per ticket;
 *   2. the same with the pure-JS (noble) backend;
 *   3. gateway: ticket creation (hash + sign) vs raw native ecdsaSign.
 * Prints rates and ratios; no thresholds. Run: node --import tsx bench/payments.ts
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  Balances,
  decodePaymentHeaderValue,
  loadNativeBackend,
  nobleBackend,
  paymentFromBatch,
  PaymentProcessor,
  paymentHeader,
  priceToInfo,
  PrivateKeyTicketSigner,
  Rational,
  Recipient,
  SenderMonitor,
  SignatureVerifier,
  TicketSender,
  type Payment,
  type Secp256k1Backend,
} from '../core/src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../core/src/payments/testing/index.js';
import { rate, rateAsync } from './rate.js';

const TICKETS_PER_PAYMENT = 100;
const require = createRequire(import.meta.url);
const native = require('secp256k1/bindings') as {
  ecdsaRecover(sig: Uint8Array, recid: number, msg: Uint8Array, compressed?: boolean): Uint8Array;
  ecdsaSign(msg: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
};

function rawRecoverRate(minMs: number): number {
  const key = randomBytes(32);
  const msgs = Array.from({ length: 256 }, () => randomBytes(32));
  const sigs = msgs.map((m) => native.ecdsaSign(m, key));
  let i = 0;
  return rate(() => {
    const j = i++ & 255;
    native.ecdsaRecover(sigs[j]!.signature, sigs[j]!.recid, msgs[j]!, false);
  }, minMs);
}

function rawSignRate(minMs: number): number {
  const key = randomBytes(32);
  const msg = randomBytes(32);
  return rate(() => native.ecdsaSign(msg, key), minMs);
}

/** An orchestrator and a gateway on in-memory chain state, with a supply of fresh signed payments. */
async function world(backend: Secp256k1Backend) {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const address = randomBytes(20);
  const senderMonitor = new SenderMonitor({ claimant: address }, rounds, senderInfo);
  const recipient = new Recipient(
    { address, economics: { ev: 1_000_000n, redeemGas: 1n, txCostMultiplier: 1n } },
    { rounds, gasPrice: new FixedGasPrice(1n), senderMonitor, verifier: new SignatureVerifier(backend) },
  );
  const processor = new PaymentProcessor({ recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds, senderMonitor });
  const signer = new PrivateKeyTicketSigner(randomBytes(32), backend);
  senderInfo.set(signer.address, { deposit: 10n ** 30n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 30n, claimedInCurrentRound: 0n } });
  const sender = new TicketSender({ signer, rounds, senderInfo, limits: { maxTotalEV: Rational.of(10n ** 30n) } });
  const price = Rational.of(3n, 2n);
  async function freshPayment(): Promise<string> {
    const params = await recipient.ticketParams(signer.address, price);
    const batch = await sender.createTicketBatch(sender.startSession(params), TICKETS_PER_PAYMENT);
    return paymentHeader(paymentFromBatch(batch, priceToInfo(price)));
  }
  return { processor, sender, recipient, signer, freshPayment };
}

async function recipientRate(backend: Secp256k1Backend, payments: number): Promise<number> {
  const w = await world(backend);
  // Sign ahead so only validation + credit is timed (decoding is measured on its own).
  const pool: Payment[] = [];
  for (let i = 0; i < payments; i++) pool.push(decodePaymentHeaderValue(await w.freshPayment()));
  const start = performance.now();
  for (const payment of pool) await w.processor.processPayment(payment, 'bench');
  return (payments * TICKETS_PER_PAYMENT * 1000) / (performance.now() - start);
}

async function decodeRate(minMs: number): Promise<number> {
  const w = await world(loadNativeBackend() ?? nobleBackend);
  const header = await w.freshPayment();
  return rate(() => decodePaymentHeaderValue(header), minMs) * TICKETS_PER_PAYMENT;
}

async function senderRate(backend: Secp256k1Backend, minMs: number): Promise<number> {
  const w = await world(backend);
  const params = await w.recipient.ticketParams(w.signer.address, Rational.of(1n));
  const session = w.sender.startSession(params);
  return rateAsync(async () => {
    await w.sender.createTicketBatch(session, TICKETS_PER_PAYMENT);
    return TICKETS_PER_PAYMENT;
  }, minMs);
}

const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US').padStart(9)}/s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const nativeBackend = loadNativeBackend();
  if (nativeBackend === undefined) throw new Error('native secp256k1 prebuild did not load');
  const ms = Number(process.env['BENCH_MS'] ?? 1500);
  // Warm up the JIT on both paths before measuring.
  await recipientRate(nativeBackend, 20);
  rawRecoverRate(300);

  const rawRecover = rawRecoverRate(ms);
  const recv = await recipientRate(nativeBackend, Math.max(20, Math.round(ms / 10)));
  const rawRecover2 = rawRecoverRate(ms);
  const baseline = (rawRecover + rawRecover2) / 2;
  const recvNoble = await recipientRate(nobleBackend, 2);
  const decode = await decodeRate(Math.min(ms, 1000));
  const rawSign = rawSignRate(ms);
  const send = await senderRate(nativeBackend, ms);
  const sendNoble = await senderRate(nobleBackend, Math.min(ms, 1000));

  console.log(`payments bench (one core, ${TICKETS_PER_PAYMENT} tickets per payment, node ${process.version})`);
  console.log(`  raw native ecdsaRecover (baseline)        ${fmt(baseline)}`);
  console.log(`  recipient validate + credit, native       ${fmt(recv)}   ${ratio(recv, baseline)} of raw recover`);
  console.log(`  recipient validate + credit, noble (JS)   ${fmt(recvNoble)}   ${ratio(recvNoble, baseline)} of raw recover`);
  console.log(`  Payment header decode (per ticket)        ${fmt(decode)}   ${ratio(decode, baseline)} of raw recover`);
  console.log(`  raw native ecdsaSign (baseline)           ${fmt(rawSign)}`);
  console.log(`  sender ticket creation, native            ${fmt(send)}   ${ratio(send, rawSign)} of raw sign`);
  console.log(`  sender ticket creation, noble (JS)        ${fmt(sendNoble)}   ${ratio(sendNoble, rawSign)} of raw sign`);
}

await main();
