/**
 * The gateway's signatures through the kernel path against raw native ecdsaSign,
 * measured in the same run:
 *   1. ticket creation (hash + personal-sign) by gatewayTicketSender with the
 *      node's account (chain/signing-account.ts), and with a plain viem account
 *      (what the gateway used before: pure-JS noble behind hex strings);
 *   2. BYOC job-request signing (signJobRequest): a repeat of the same
 *      request ‖ parameters (cache hit), distinct requests (cache miss: one sign
 *      each), and a plain viem account.
 * Prints rates and ratios; no thresholds. Run: node --import tsx bench/signing.ts
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Hex, LocalAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { signingAccount } from '../core/src/chain/signing-account.js';
import { signJobRequest } from '../core/src/network/byoc/index.js';
import { defaultSecp256k1Backend, Rational, Recipient, SenderMonitor, SignatureVerifier, toHex, type TicketSender } from '../core/src/payments/index.js';
import type { ChainPaymentSources } from '../core/src/payments-chain/create-sources.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource } from '../core/src/payments/testing/index.js';
import { gatewayTicketSender } from '../core/src/roles/gateway/gateway-ticket-sender.js';
import { rate, rateAsync } from './rate.js';

const TICKETS_PER_PAYMENT = 100;
const require = createRequire(import.meta.url);
const native = require('secp256k1/bindings') as { ecdsaSign(msg: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number } };

function rawSignRate(minMs: number): number {
  const key = randomBytes(32);
  const msg = randomBytes(32);
  return rate(() => native.ecdsaSign(msg, key), minMs);
}

/** The gateway's TicketSender over in-memory chain sources (a bench stand-in for ChainPaymentSources: only rounds and senderInfo are read). */
async function ticketRate(account: LocalAccount, minMs: number): Promise<number> {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const orchestrator = randomBytes(20);
  const senderMonitor = new SenderMonitor({ claimant: orchestrator }, rounds, senderInfo);
  const recipient = new Recipient(
    { address: orchestrator, economics: { ev: 1_000_000n, redeemGas: 1n, txCostMultiplier: 1n } },
    { rounds, gasPrice: new FixedGasPrice(1n), senderMonitor, verifier: new SignatureVerifier() },
  );
  const chain = { rounds, senderInfo } as unknown as ChainPaymentSources;
  const sender = gatewayTicketSender(account, chain, { maxTicketEV: '3000000000000', maxTotalEV: '20000000000000000' }) as TicketSender;
  senderInfo.set(sender.address, { deposit: 10n ** 30n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 30n, claimedInCurrentRound: 0n } });
  const session = sender.startSession(await recipient.ticketParams(sender.address, Rational.of(1n)));
  return rateAsync(async () => {
    await sender.createTicketBatch(session, TICKETS_PER_PAYMENT);
    return TICKETS_PER_PAYMENT;
  }, minMs);
}

const REQUEST = JSON.stringify({ run: 'echo', stream_id: '' });
const PARAMETERS = JSON.stringify({ orchestrators: { exclude: [], include: [] } });

async function jobRate(account: LocalAccount, distinct: boolean, minMs: number): Promise<number> {
  let n = 0;
  return rateAsync(async () => {
    const request = distinct ? JSON.stringify({ run: 'echo', n: n++ }) : REQUEST;
    await signJobRequest(account, { id: String(n), request, parameters: PARAMETERS, capability: 'echo', timeout_seconds: 30 });
    return 1;
  }, minMs);
}

const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US').padStart(9)}/s`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Each path is measured in short slices alternating with the raw baseline, and the
 * median of the per-slice ratios is printed: on a shared machine the load changes
 * faster than one long measurement, and a ratio of neighbouring slices cancels most of it.
 */
async function interleaved(slices: number, sliceMs: number, path: (ms: number) => Promise<number>): Promise<{ rate: number; ratio: number }> {
  const rates: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < slices; i++) {
    const before = rawSignRate(sliceMs / 2);
    const r = await path(sliceMs);
    const after = rawSignRate(sliceMs / 2);
    rates.push(r);
    ratios.push((2 * r) / (before + after));
  }
  return { rate: median(rates), ratio: median(ratios) };
}

async function main(): Promise<void> {
  const ms = Number(process.env['BENCH_MS'] ?? 1500);
  const slices = 7;
  const sliceMs = Math.max(100, Math.round(ms / slices));
  const key = toHex(randomBytes(32)) as Hex;
  const kernel = signingAccount(key);
  const viem = privateKeyToAccount(key);
  // Warm up the JIT on every path before measuring.
  rawSignRate(300);
  await ticketRate(kernel, 300);
  await jobRate(kernel, true, 300);

  const raw = median(Array.from({ length: slices }, () => rawSignRate(sliceMs)));
  const tickets = await interleaved(slices, sliceMs, (t) => ticketRate(kernel, t));
  const jobMiss = await interleaved(slices, sliceMs, (t) => jobRate(kernel, true, t));
  const jobHit = await interleaved(3, sliceMs, (t) => jobRate(kernel, false, t));
  const ticketsViem = await interleaved(3, sliceMs, (t) => ticketRate(viem, t));
  const jobMissViem = await interleaved(3, sliceMs, (t) => jobRate(viem, true, t));

  const line = (label: string, m: { rate: number; ratio: number }) => console.log(`  ${label.padEnd(46)}${fmt(m.rate)}   ${m.ratio.toFixed(2)}× of raw sign`);
  console.log(`gateway signing bench (one core, ${TICKETS_PER_PAYMENT} tickets per payment, secp256k1 ${defaultSecp256k1Backend().name}, node ${process.version}; median of interleaved slices)`);
  console.log(`  ${'raw native ecdsaSign (baseline)'.padEnd(46)}${fmt(raw)}`);
  line('gateway ticket creation, kernel path', tickets);
  line('gateway ticket creation, viem account (JS)', ticketsViem);
  line('job-request signing, kernel path, new bytes', jobMiss);
  line('job-request signing, kernel path, cache hit', jobHit);
  line('job-request signing, viem account (JS)', jobMissViem);
}

await main();
