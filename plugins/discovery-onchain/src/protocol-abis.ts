import { parseAbi } from 'viem';

/*
 * Only the functions discovery reads, written out by hand because a plugin may
 * not import @lpx/core's generated ABIs. The signatures are the Livepeer
 * network's (our dev contracts keep the same ones), so the same code reads
 * Arbitrum One and the embedded dev chain.
 */

export const controllerAbi = parseAbi(['function getContract(bytes32 id) view returns (address)']);

export const bondingManagerAbi = parseAbi([
  'function getTranscoderPoolSize() view returns (uint256)',
  'function getFirstTranscoderInPool() view returns (address)',
  'function getNextTranscoderInPool(address transcoder) view returns (address)',
  'function transcoderTotalStake(address transcoder) view returns (uint256)',
  'function getTranscoder(address transcoder) view returns (uint256 lastRewardRound, uint256 rewardCut, uint256 feeShare, uint256 lastActiveStakeUpdateRound, uint256 activationRound, uint256 deactivationRound, uint256 activeCumulativeRewards, uint256 cumulativeRewards, uint256 cumulativeFees, uint256 lastFeeRound)',
]);

export const serviceRegistryAbi = parseAbi(['function getServiceURI(address addr) view returns (string)']);

export const roundsManagerAbi = parseAbi(['function lastInitializedRound() view returns (uint256)']);
