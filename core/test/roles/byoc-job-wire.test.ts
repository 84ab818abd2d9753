// orchestratorWire.byocJobs, the kernel's BYOC job wire for plugins: the
// Livepeer header verified by the same code as /process/request, the
// registry's price, and Livepeer-Payment credited to (sender, capability) by
// a real PaymentProcessor over in-memory chain state (the chain is the
// boundary here; test/plugins/byoc-stream runs the same on anvil).
import t from 'tap';
import { errors, type CapabilityDescriptor } from '@lpx/sdk';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { encodeJobRequestHeader, signJobRequest } from '../../src/network/byoc/index.js';
import { Balances, fromHex, GatewayPayer, PaymentProcessor, PrivateKeyTicketSigner, Rational, Recipient, SenderMonitor, TicketSender } from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../src/payments/testing/index.js';
import { byocJobPrice, createByocJobWire, unstartedByocJobWire } from '../../src/roles/orchestrator/byoc-job-wire.js';

const registry = {
  get: (id: string) => (id === 'byoc/streamer' ? ({ id, price: { pricePerUnit: '7', pixelsPerUnit: '2' } } as unknown as CapabilityDescriptor) : undefined),
};

function node() {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const orchestrator = fromHex(privateKeyToAccount(generatePrivateKey()).address);
  const senderMonitor = new SenderMonitor({ claimant: orchestrator }, rounds, senderInfo);
  const recipient = new Recipient({ address: orchestrator, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } }, { rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor });
  const processor = new PaymentProcessor({ recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds, senderMonitor });
  const key = generatePrivateKey();
  const signer = new PrivateKeyTicketSigner(fromHex(key));
  senderInfo.set(signer.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const payer = new GatewayPayer(new TicketSender({ signer, rounds, senderInfo }), new Balances());
  return { processor, recipient, account: privateKeyToAccount(key), signer, payer };
}

t.test('verify: the kernel verifier, coded 400s', async (t) => {
  const { account } = node();
  const wire = unstartedByocJobWire();
  const job = await signJobRequest(account, { id: 's-1', request: '{}', parameters: '{"enable_video_ingress":true}', capability: 'streamer', timeout_seconds: 12 });
  t.same(wire.verify(encodeJobRequestHeader(job)), { id: 's-1', request: '{}', parameters: '{"enable_video_ingress":true}', capability: 'streamer', sender: account.address, timeoutSeconds: 12 }, 'works before the role starts');
  const forged = encodeJobRequestHeader({ ...job, parameters: '{}' });
  t.throws(() => wire.verify(forged), { code: errors.orchestrator.JOB_REQUEST_SIG_INVALID.code, status: 400 });
  t.throws(() => wire.verify(undefined), { code: errors.orchestrator.JOB_REQUEST_MISSING.code, status: 400 });
  t.throws(() => wire.verify(encodeJobRequestHeader({ ...job, timeout_seconds: 0 })), { code: errors.orchestrator.JOB_REQUEST_NO_TIMEOUT.code });
  await t.rejects(wire.pay({ sender: account.address, capability: 'streamer', payment: 'x' }), { code: errors.payments.NOT_CONFIGURED.code }, 'no payments before the role starts');
  t.equal(wire.priceFor('streamer', account.address), undefined);
});

t.test('price and payment: the registry price, credit keyed (sender, capability), refusals credit nothing', async (t) => {
  const { processor, recipient, account, signer, payer } = node();
  const wire = createByocJobWire({ capabilities: registry, payments: { processor, recipient } });
  t.same(wire.priceFor('streamer', account.address), { pricePerUnit: 7n, pixelsPerUnit: 2n }, 'a bare name is byoc/<name>');
  t.same(byocJobPrice(registry, 'byoc/streamer'), { pricePerUnit: 7n, pixelsPerUnit: 2n }, 'an id works too');
  t.equal(wire.priceFor('nothing', account.address), undefined);

  const params = await recipient.ticketParams(signer.address, Rational.of(7n, 2n));
  const session = payer.startSession(params, { pricePerUnit: 7n, pixelsPerUnit: 2n }, 'streamer');
  const prepared = await payer.preparePayment(session, payer.fee(session, 1000n));
  await wire.pay({ sender: account.address, capability: 'streamer', payment: prepared.header });
  const credited = await processor.balance(signer.address, 'streamer');
  t.ok(credited !== undefined && credited.sign() > 0, `credited under the capability name (${credited?.toFixed(3)})`);

  await wire.pay({ sender: account.address, capability: 'streamer', payment: undefined });
  await wire.pay({ sender: account.address, capability: 'streamer', payment: ' ' });
  t.same(await processor.balance(signer.address, 'streamer'), credited, 'no header: nothing credited, no error');
  await t.rejects(wire.pay({ sender: account.address, capability: 'streamer', payment: '%%%' }), { code: errors.payments.MALFORMED_HEADER.code, status: 402 });
  const other = privateKeyToAccount(generatePrivateKey()).address;
  const again = await payer.preparePayment(session, payer.fee(session, 1000n));
  await t.rejects(wire.pay({ sender: other, capability: 'streamer', payment: again.header }), { code: errors.orchestrator.PAYMENT_SENDER_MISMATCH.code, status: 400 }, "another sender's tickets");
  t.same(await processor.balance(signer.address, 'streamer'), credited, 'refusals credited nothing');
});

t.test('offchain: nothing priced, payment a no-op', async (t) => {
  const wire = createByocJobWire({ capabilities: registry });
  t.equal(wire.priceFor('streamer', '0x0000000000000000000000000000000000000001'), undefined);
  await wire.pay({ sender: '0x0000000000000000000000000000000000000001', capability: 'streamer', payment: '%%%' });
  t.pass('no error, nothing read');
});
