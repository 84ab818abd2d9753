// ADR 0060: the rounds cache polls the block number and re-reads the round
// state only when the round changed. Every JSON-RPC call the source makes goes
// through a counting transport in front of the real anvil chain.
import t from 'tap';
import { createPublicClient, custom, toFunctionSelector, type Hex } from 'viem';
import { nativeBlockNumberSource } from '../../src/chain/block-number.js';
import { startEmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { blockHashForRound } from '../../src/chain/rounds.js';
import { toHex } from '../../src/payments/index.js';
import { ChainRoundsSource } from '../../src/payments-chain/chain-sources.js';
import { DEFAULT_BLOCK_POLL_MS, defaultBlockPollMs, LOOPBACK_BLOCK_POLL_MS } from '../../src/payments-chain/create-sources.js';

const chain = await startEmbeddedChain({ orchestrators: 1, senders: 1, spares: 0 });
t.teardown(() => chain.stop());
const direct = chain.connection.publicClient;

const SELECTORS: Record<string, string> = {
  [toFunctionSelector('lastInitializedRound()')]: 'lastInitializedRound',
  [toFunctionSelector('blockHashForRound(uint256)')]: 'blockHashForRound',
  [toFunctionSelector('getTranscoderPoolSize()')]: 'getTranscoderPoolSize',
};

/** JSON-RPC calls by method, eth_calls by contract function. */
const calls = new Map<string, number>();
/** While set, every eth_call fails (an RPC that lost its state, a proxy in trouble). */
let callsFail = false;
const counted = createPublicClient({
  chain: direct.chain,
  transport: custom({
    async request({ method, params }: { method: string; params?: unknown }) {
      let name = method;
      if (method === 'eth_call') {
        const data = ((params as [{ data?: Hex; input?: Hex }])[0].data ?? (params as [{ input?: Hex }])[0].input ?? '0x').slice(0, 10);
        name = SELECTORS[data] ?? `eth_call ${data}`;
      }
      calls.set(name, (calls.get(name) ?? 0) + 1);
      if (callsFail && method === 'eth_call') throw new Error('eth_call refused');
      return direct.request({ method, params } as never);
    },
  }),
});
const take = (): Record<string, number> => {
  const out = Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b)));
  calls.clear();
  return out;
};

t.test('new blocks cost one round check each; the round state is read only when the round changes', async (t) => {
  const rounds = await ChainRoundsSource.create(counted, chain.addresses, nativeBlockNumberSource(counted));
  take();
  const round0 = rounds.lastInitializedRound();
  const hash0 = rounds.lastInitializedL1BlockHash();
  t.equal(toHex(hash0), await blockHashForRound(direct, chain.addresses.roundsManager, round0), 'primed with the round’s block hash');

  t.equal(await rounds.refresh(), false, 'no new block');
  t.same(take(), { eth_blockNumber: 1 }, 'an idle poll is one eth_blockNumber');

  // Blocks within the round: the round does not change, its state is not re-read.
  const heard: bigint[] = [];
  const unsubscribe = rounds.subscribeL1Blocks((block) => heard.push(block));
  for (let i = 0; i < 3; i++) {
    await chain.mine(1);
    t.equal(await rounds.refresh(), true);
  }
  t.same(take(), { eth_blockNumber: 3, lastInitializedRound: 3 }, 'per new block: the block number and one round check');
  t.equal(rounds.lastSeenL1Block(), await direct.getBlockNumber({ cacheTime: 0 }), 'the block is seen');
  t.equal(heard.length, 3, 'block subscribers hear each new block');
  t.equal(rounds.lastInitializedRound(), round0);

  // A round change: the new hash is read, the old one becomes the pre-hash without another read.
  const round1 = await chain.advanceRounds(1);
  t.equal(round1, round0 + 1n);
  t.equal(await rounds.refresh(), true);
  t.same(take(), { blockHashForRound: 1, eth_blockNumber: 1, getTranscoderPoolSize: 1, lastInitializedRound: 1 }, 'a new round: its hash and the pool size');
  t.equal(rounds.lastInitializedRound(), round1, 'the new round is seen at the next poll');
  t.equal(toHex(rounds.lastInitializedL1BlockHash()), await blockHashForRound(direct, chain.addresses.roundsManager, round1), 'tickets commit to the new round’s hash');
  t.same(rounds.preLastInitializedL1BlockHash(), hash0, 'the previous round’s hash is the fallback (ADR 0102)');

  // Several rounds between two polls: the pre-hash is read, not assumed.
  const round3 = await chain.advanceRounds(2);
  await rounds.refresh();
  t.same(take(), { blockHashForRound: 2, eth_blockNumber: 1, getTranscoderPoolSize: 1, lastInitializedRound: 1 }, 'a skipped round: both hashes read');
  t.equal(rounds.lastInitializedRound(), round3);
  t.equal(toHex(rounds.preLastInitializedL1BlockHash()), await blockHashForRound(direct, chain.addresses.roundsManager, round3 - 1n));

  // A forced refresh trusts nothing cached.
  await rounds.refresh(true);
  t.same(take(), { blockHashForRound: 2, eth_blockNumber: 1, getTranscoderPoolSize: 1, lastInitializedRound: 1 }, 'force: everything re-read');
  unsubscribe();
});

t.test('a failed round check keeps the last values and the next poll retries', async (t) => {
  const rounds = await ChainRoundsSource.create(counted, chain.addresses, nativeBlockNumberSource(counted));
  const seen = rounds.lastSeenL1Block();
  const round = rounds.lastInitializedRound();
  const next = await chain.advanceRounds(1);
  take();
  callsFail = true;
  await t.rejects(rounds.refresh(), /eth_call refused/);
  callsFail = false;
  t.equal(rounds.lastSeenL1Block(), seen, 'the block is not marked seen while its round is unknown');
  t.equal(rounds.lastInitializedRound(), round, 'the last values are kept');
  t.equal(await rounds.refresh(), true, 'the next poll still sees a new block');
  t.equal(rounds.lastInitializedRound(), next, 'and the new round');
});

t.test('poll interval defaults: go-livepeer’s 5 s, 1 s on a loopback node', async (t) => {
  t.equal(DEFAULT_BLOCK_POLL_MS, 5_000);
  t.equal(defaultBlockPollMs('https://arb1.example.org/rpc'), DEFAULT_BLOCK_POLL_MS);
  t.equal(defaultBlockPollMs('http://127.0.0.1:8545'), LOOPBACK_BLOCK_POLL_MS);
  t.equal(defaultBlockPollMs('http://localhost:8545'), LOOPBACK_BLOCK_POLL_MS);
});
