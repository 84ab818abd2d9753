/**
 * The least a gateway can be (bench/bare-forwarder.ts starts it): a plain
 * node:http server that takes a job's JSON body and pays orchestrator 1 for
 * it with the same job sender the gateway and the direct client use — no
 * queue, no durability, no tenants, no metrics, no failover. Not a product:
 * the floor any gateway with an HTTP hop in front of the job sender pays on
 * the same machine. Prints `listening <port>` when ready.
 *
 * Environment: LPX_BARE_ORCHESTRATOR (service URI), LPX_BARE_RPC,
 * LPX_BARE_CONTROLLER, LPX_BARE_SENDER_KEY, LPX_BARE_TICKET_EV (wei),
 * LPX_BARE_HTTP_VERSION ('1.1' or '2', the gateway's orchestratorHttpVersion).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { privateKeyToAccount } from 'viem/accounts';
import type { PoolEntry } from '../core/src/gateway/pool/pool-options.js';
import { createChainPaymentSources } from '../core/src/payments-chain/create-sources.js';
import { createJobSender } from '../core/src/roles/gateway/job-sender.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const ticketEV = BigInt(required('LPX_BARE_TICKET_EV'));
const chain = await createChainPaymentSources({ rpcUrl: required('LPX_BARE_RPC'), controller: required('LPX_BARE_CONTROLLER') as `0x${string}` });
const sender = createJobSender({
  account: privateKeyToAccount(required('LPX_BARE_SENDER_KEY') as `0x${string}`),
  chain,
  requestTimeoutMs: 15_000,
  limits: { maxEV: 2n * ticketEV, maxTotalEV: 200n * ticketEV },
  logger: pino({ level: 'silent' }),
  httpVersion: required('LPX_BARE_HTTP_VERSION') === '2' ? '2' : '1.1',
});
const orchestrator = { uri: required('LPX_BARE_ORCHESTRATOR') } as PoolEntry;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const input: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    sender.send(orchestrator, { capabilityId: 'byoc/echo', input, requestId: randomUUID(), signal: AbortSignal.timeout(30_000) }).then(
      (sent) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(sent.output));
      },
      (error: unknown) => {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(String(error));
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address !== null ? address.port : 0}`);
});
const stop = (): void => {
  server.close();
  sender.close();
  void chain.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
// The bench holds our stdin open: its end means the bench is gone, however it ended.
process.stdin.on('end', stop).resume();
