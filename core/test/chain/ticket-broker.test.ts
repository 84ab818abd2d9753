import t from 'tap';
import { keccak256, numberToHex, parseEther, zeroHash, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  brokerCancelUnlock,
  brokerDeposit,
  brokerFund,
  brokerReserve,
  brokerStatus,
  brokerUnlock,
  brokerWithdraw,
} from '../../src/chain/broker-commands.js';
import { readActiveSet } from '../../src/chain/bonding.js';
import { connectChain } from '../../src/chain/connection.js';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { ticketBrokerAbi } from '../../src/chain/generated/abis.js';
import { resolveProtocolAddresses } from '../../src/chain/protocol-addresses.js';
import { currentCreationRound, readRounds } from '../../src/chain/rounds.js';
import { claimableReserve, isTicketUsed, readSenderInfo, reserveAllocation } from '../../src/chain/ticket-broker-reads.js';
import { getTicketBrokerEvents } from '../../src/chain/ticket-broker-events.js';
import { sendRedeemWinningTicket, confirmTx } from '../../src/chain/ticket-broker-writes.js';
import { revertReason } from '../../src/chain/tx-errors.js';
import { fromHex } from '../../src/payments/encoding/bytes.js';
import { ticketHash as paymentsTicketHash } from '../../src/payments/crypto/ticket-hash.js';
import { signWinningTicket } from './winning-ticket-fixture.js';

const chain = await startEmbeddedChain();
t.teardown(() => chain.stop());

const [, orchestratorA, orchestratorB, sender1, sender2, fresh] = chain.accounts;
const recipient = orchestratorA!;
const senderAccount = privateKeyToAccount(sender1!.privateKey);
const freshAccount = privateKeyToAccount(fresh!.privateKey);
const client = chain.connection.publicClient;
const target = { rpcUrl: chain.rpcUrl, controller: chain.controller };

t.test('contracts resolve through the Controller and the dev chain is set up', async (t) => {
  const addresses = await resolveProtocolAddresses(client, chain.controller);
  t.same(addresses, chain.addresses);
  const rounds = await readRounds(client, addresses.roundsManager);
  t.ok(rounds.currentRound >= 1n, 'past round 0');
  t.equal(rounds.currentRoundInitialized, true);
  t.equal(rounds.roundLength, 50n);
  const active = await readActiveSet(client, addresses.bondingManager);
  t.same(active.map((entry) => entry.address).sort(), [orchestratorA!.address, orchestratorB!.address].sort());
  const info = await readSenderInfo(client, addresses.ticketBroker, sender2!.address);
  t.equal(info.deposit, parseEther('10'));
  t.equal(info.reserve.fundsRemaining, parseEther('10'));
});

t.test('an address with no code is refused as Controller', async (t) => {
  await t.rejects(resolveProtocolAddresses(client, sender1!.address), { code: 'LPX_ERR_CHAIN_NO_CONTRACT_CODE' });
});

t.test('fund, unlock, cancel, unlock again, withdraw — with events', async (t) => {
  const before = await client.getBlockNumber();
  const funded = await brokerFund({ ...target, account: freshAccount, deposit: 300n, reserve: 200n });
  t.equal(funded.info.deposit, 300n);
  t.equal(funded.info.reserve.fundsRemaining, 200n);
  t.equal((await brokerDeposit({ ...target, account: freshAccount, amount: 50n })).info.deposit, 350n);
  t.equal((await brokerReserve({ ...target, account: freshAccount, amount: 25n })).info.reserve.fundsRemaining, 225n);

  const unlocked = await brokerUnlock({ ...target, account: freshAccount });
  const round = (await readRounds(client, chain.addresses.roundsManager)).currentRound;
  t.equal(unlocked.info.withdrawRound, round + chain.protocol.unlockPeriod);
  await t.rejects(brokerWithdraw({ ...target, account: freshAccount }), { code: 'LPX_ERR_CHAIN_TX_REVERTED', message: /account is locked/ });
  await t.rejects(brokerUnlock({ ...target, account: freshAccount }), { message: /unlock already initiated/ });
  t.equal((await brokerCancelUnlock({ ...target, account: freshAccount })).info.withdrawRound, 0n);
  await t.rejects(brokerCancelUnlock({ ...target, account: freshAccount }), { message: /no unlock request in progress/ });

  await brokerUnlock({ ...target, account: freshAccount });
  const status = await brokerStatus({ ...target, address: freshAccount.address });
  t.equal(status.roundsUntilWithdraw, chain.protocol.unlockPeriod);
  await chain.advanceRounds(Number(chain.protocol.unlockPeriod));
  t.equal((await brokerStatus({ ...target, account: freshAccount })).roundsUntilWithdraw, 0n);

  const balanceBefore = await client.getBalance({ address: freshAccount.address });
  const withdrawn = await brokerWithdraw({ ...target, account: freshAccount });
  t.equal(withdrawn.info.deposit, 0n);
  t.equal(withdrawn.info.reserve.fundsRemaining, 0n);
  const balanceAfter = await client.getBalance({ address: freshAccount.address });
  t.equal(balanceAfter - balanceBefore + withdrawn.tx.fee, 575n, 'exactly deposit + reserve came back');

  const events = await getTicketBrokerEvents(client, chain.addresses.ticketBroker, { fromBlock: before + 1n, sender: freshAccount.address });
  t.same(
    events.map((event) => event.eventName),
    ['DepositFunded', 'ReserveFunded', 'DepositFunded', 'ReserveFunded', 'Unlock', 'UnlockCancelled', 'Unlock', 'Withdrawal'],
  );
  const withdrawal = events.at(-1)!;
  t.same(withdrawal.args, { sender: freshAccount.address, deposit: 350n, reserve: 225n });
});

t.test('contract getTicketHash equals the TypeScript hashes (ours and the payments codec)', async (t) => {
  const creation = await currentCreationRound(client, chain.addresses.roundsManager);
  const { ticket, ticketHash } = await signWinningTicket({
    sender: senderAccount,
    recipient: recipient.address,
    faceValue: 123456789n,
    creationRound: creation.round,
    creationRoundBlockHash: creation.blockHash,
    paramsExpirationBlock: 0n,
    senderNonce: 7,
  });
  const onChain = await client.readContract({ address: chain.addresses.ticketBroker, abi: ticketBrokerAbi, functionName: 'getTicketHash', args: [ticket] });
  t.equal(onChain, ticketHash);
  const codec = paymentsTicketHash({
    recipient: fromHex(ticket.recipient),
    sender: fromHex(ticket.sender),
    faceValue: ticket.faceValue,
    winProb: ticket.winProb,
    senderNonce: 7,
    recipientRandHash: fromHex(ticket.recipientRandHash),
    creationRound: creation.round,
    creationRoundBlockHash: fromHex(creation.blockHash),
  });
  t.equal(`0x${Buffer.from(codec).toString('hex')}`, onChain);

  // go-livepeer's 232-byte vector (reference §5.1): creationRound 10 and a fixed block hash.
  const vectorHash = '0x41b1a0649752af1b28b3dc29a1556eee781e4a4c3a1f7f53f90fa834de098c4d' as Hex;
  const zeroAddress = '0x0000000000000000000000000000000000000000' as const;
  const vector = await client.readContract({
    address: chain.addresses.ticketBroker,
    abi: ticketBrokerAbi,
    functionName: 'getTicketHash',
    args: [{ recipient: zeroAddress, sender: zeroAddress, faceValue: 0n, winProb: 0n, senderNonce: 0n, recipientRandHash: zeroHash, auxData: `${numberToHex(10n, { size: 32 })}${vectorHash.slice(2)}` as Hex }],
  });
  t.equal(vector, '0xe502907c16036ab3d11b78c5a2e93c20f3d6415c67f91de4ed01348182b3b2e2');
});

t.test('a TypeScript-signed winning ticket redeems: deposit falls by exactly the face value', async (t) => {
  const { publicClient, walletClient } = await connectChain({ rpcUrl: chain.rpcUrl, account: privateKeyToAccount(recipient.privateKey) });
  const ctx = { publicClient, walletClient: walletClient!, ticketBroker: chain.addresses.ticketBroker };
  const creation = await currentCreationRound(client, chain.addresses.roundsManager);
  const faceValue = parseEther('0.25');
  const signed = await signWinningTicket({ sender: senderAccount, recipient: recipient.address, faceValue, creationRound: creation.round, creationRoundBlockHash: creation.blockHash, paramsExpirationBlock: 0n, senderNonce: 1 });

  const before = await readSenderInfo(client, chain.addresses.ticketBroker, senderAccount.address);
  const hash = await sendRedeemWinningTicket(ctx, signed.ticket, signed.sig, signed.recipientRand);
  await confirmTx(publicClient, hash, 'redeem');
  const after = await readSenderInfo(client, chain.addresses.ticketBroker, senderAccount.address);
  t.equal(before.deposit - after.deposit, faceValue);
  t.equal(after.reserve.fundsRemaining, before.reserve.fundsRemaining, 'reserve untouched while the deposit covers it');
  t.equal(await isTicketUsed(client, chain.addresses.ticketBroker, signed.ticketHash), true);

  const error = await sendRedeemWinningTicket(ctx, signed.ticket, signed.sig, signed.recipientRand).catch((e: unknown) => e);
  t.equal(revertReason(error), 'ticket is used', 'a used ticket is refused');

  const wrongRand = await sendRedeemWinningTicket(ctx, { ...signed.ticket, senderNonce: 2n }, signed.sig, signed.recipientRand).catch((e: unknown) => e);
  t.equal(revertReason(wrongRand), 'invalid signature over ticket hash', 'signature must cover the exact ticket');

  const loser = await signWinningTicket({ sender: senderAccount, recipient: recipient.address, faceValue, creationRound: creation.round, creationRoundBlockHash: creation.blockHash, paramsExpirationBlock: 0n, senderNonce: 3, winProb: 0n });
  t.equal(revertReason(await sendRedeemWinningTicket(ctx, loser.ticket, loser.sig, loser.recipientRand).catch((e: unknown) => e)), 'ticket did not win');

  const badHash = await signWinningTicket({ sender: senderAccount, recipient: recipient.address, faceValue, creationRound: creation.round, creationRoundBlockHash: keccak256('0x01'), paramsExpirationBlock: 0n, senderNonce: 4 });
  t.equal(revertReason(await sendRedeemWinningTicket(ctx, badHash.ticket, badHash.sig, badHash.recipientRand).catch((e: unknown) => e)), 'ticket creationRoundBlockHash invalid for creationRound');
});

t.test('face value above the deposit is paid from the recipient reserve share', async (t) => {
  const { publicClient, walletClient } = await connectChain({ rpcUrl: chain.rpcUrl, account: privateKeyToAccount(recipient.privateKey) });
  const ctx = { publicClient, walletClient: walletClient!, ticketBroker: chain.addresses.ticketBroker };
  const holder = privateKeyToAccount(sender2!.privateKey);
  const info = await readSenderInfo(client, chain.addresses.ticketBroker, holder.address);
  const share = reserveAllocation(info, 2n, 0n);
  t.equal(await claimableReserve(client, chain.addresses.ticketBroker, holder.address, recipient.address), share, 'off-chain allocation math matches the contract');
  const creation = await currentCreationRound(client, chain.addresses.roundsManager);
  const faceValue = info.deposit + share + parseEther('1');
  const signed = await signWinningTicket({ sender: holder, recipient: recipient.address, faceValue, creationRound: creation.round, creationRoundBlockHash: creation.blockHash, paramsExpirationBlock: 0n });
  const before = await getTicketBrokerEvents(client, chain.addresses.ticketBroker);
  await confirmTx(publicClient, await sendRedeemWinningTicket(ctx, signed.ticket, signed.sig, signed.recipientRand), 'redeem');
  const after = await readSenderInfo(client, chain.addresses.ticketBroker, holder.address);
  t.equal(after.deposit, 0n);
  t.equal(after.reserve.fundsRemaining, info.reserve.fundsRemaining - share, 'only this recipient share is claimed, never more');
  t.equal(after.reserve.claimedInCurrentRound, share);
  const transfers = (await getTicketBrokerEvents(client, chain.addresses.ticketBroker)).slice(before.length).filter((event) => event.eventName === 'WinningTicketTransfer');
  t.same(transfers.map((event) => event.args), [{ sender: holder.address, recipient: recipient.address, amount: info.deposit + share }]);
});
