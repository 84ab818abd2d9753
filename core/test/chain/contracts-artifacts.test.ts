import t from 'tap';
import { toFunctionSelector, toEventSelector, type AbiEvent, type AbiFunction } from 'viem';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as abis from '../../src/chain/generated/abis.js';

const script = fileURLToPath(new URL('../../../scripts/compile-contracts.mjs', import.meta.url));

t.test('committed artifacts match core/contracts/*.sol (drift check)', async (t) => {
  // --check recompiles and compares bytes; it exits 1 on drift and never writes.
  const run = await promisify(execFile)(process.execPath, [script, '--check']).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  t.equal(run, 0, 'run `node scripts/compile-contracts.mjs` after editing the Solidity');
});

const selectorsOf = (abi: readonly unknown[]) =>
  new Set((abi as Array<AbiFunction | AbiEvent>).map((item) => (item.type === 'function' ? toFunctionSelector(item) : item.type === 'event' ? toEventSelector(item) : '')));

// Signatures go-livepeer binds to (reference §7); a typo in a parameter type
// changes the selector and would silently break Arbitrum interop.
t.test('TicketBroker exposes the network signatures', async (t) => {
  const have = selectorsOf(abis.ticketBrokerAbi);
  for (const signature of [
    'fundDeposit()',
    'fundReserve()',
    'fundDepositAndReserve(uint256,uint256)',
    'fundDepositAndReserveFor(address,uint256,uint256)',
    'redeemWinningTicket((address,address,uint256,uint256,uint256,bytes32,bytes),bytes,uint256)',
    'batchRedeemWinningTickets((address,address,uint256,uint256,uint256,bytes32,bytes)[],bytes[],uint256[])',
    'unlock()',
    'cancelUnlock()',
    'withdraw()',
    'getSenderInfo(address)',
    'getReserveInfo(address)',
    'claimableReserve(address,address)',
    'claimedReserve(address,address)',
    'usedTickets(bytes32)',
    'unlockPeriod()',
    'ticketValidityPeriod()',
    'isUnlockInProgress(address)',
    'getTicketHash((address,address,uint256,uint256,uint256,bytes32,bytes))',
  ]) {
    t.ok(have.has(toFunctionSelector(`function ${signature}`)), signature);
  }
  for (const signature of [
    'DepositFunded(address indexed,uint256)',
    'ReserveFunded(address indexed,uint256)',
    'ReserveClaimed(address indexed,address,uint256)',
    'Withdrawal(address indexed,uint256,uint256)',
    'WinningTicketTransfer(address indexed,address indexed,uint256)',
    'WinningTicketRedeemed(address indexed,address indexed,uint256,uint256,uint256,uint256,bytes)',
    'Unlock(address indexed,uint256,uint256)',
    'UnlockCancelled(address indexed)',
  ]) {
    t.ok(have.has(toEventSelector(`event ${signature}`)), signature);
  }
});

t.test('Controller, RoundsManager, BondingManager, ServiceRegistry expose the network signatures', async (t) => {
  const cases: Array<[readonly unknown[], string[]]> = [
    [abis.controllerAbi, ['getContract(bytes32)', 'setContractInfo(bytes32,address,bytes20)', 'getContractInfo(bytes32)', 'paused()', 'owner()']],
    [
      abis.roundsManagerAbi,
      ['currentRound()', 'currentRoundInitialized()', 'lastInitializedRound()', 'blockHashForRound(uint256)', 'currentRoundStartBlock()', 'currentRoundLocked()', 'roundLength()', 'roundLockAmount()', 'initializeRound()', 'blockNum()', 'blockHash(uint256)'],
    ],
    [
      abis.bondingManagerAbi,
      ['getFirstTranscoderInPool()', 'getNextTranscoderInPool(address)', 'getTranscoderPoolSize()', 'getTranscoderPoolMaxSize()', 'isActiveTranscoder(address)', 'transcoderTotalStake(address)', 'getTotalBonded()', 'getTranscoder(address)', 'withdrawFees(address,uint256)', 'pendingFees(address,uint256)', 'transcoder(uint256,uint256)'],
    ],
    [abis.serviceRegistryAbi, ['setServiceURI(string)', 'getServiceURI(address)']],
  ];
  for (const [abi, signatures] of cases) {
    const have = selectorsOf(abi);
    for (const signature of signatures) t.ok(have.has(toFunctionSelector(`function ${signature}`)), signature);
  }
  t.ok(selectorsOf(abis.roundsManagerAbi).has(toEventSelector('event NewRound(uint256 indexed,bytes32)')), 'NewRound event');
});
