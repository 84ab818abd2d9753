// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Managed.sol";

/// Rounds are fixed-length windows of blocks. A round only counts as usable
/// for tickets once someone calls initializeRound(), which records the hash of
/// the block before it; tickets commit to that (round, hash) pair.
contract RoundsManager is Managed {
    // roundLockAmount is a share of roundLength in millionths, like the
    // network's other percentage parameters.
    uint256 private constant PERC_DIVISOR = 1_000_000;

    uint256 public roundLength;
    uint256 public roundLockAmount;
    uint256 public lastInitializedRound;
    // Changing roundLength must not renumber past rounds, so round numbers are
    // counted from the last change.
    uint256 public lastRoundLengthUpdateRound;
    uint256 public lastRoundLengthUpdateStartBlock;

    mapping(uint256 => bytes32) private roundBlockHashes;

    event NewRound(uint256 indexed round, bytes32 blockHash);
    event ParameterUpdate(string param);

    constructor(address controllerAddress, uint256 initialRoundLength) Managed(controllerAddress) {
        require(initialRoundLength > 0, "round length cannot be 0");
        roundLength = initialRoundLength;
        // Aligned so that round N starts at block N * roundLength.
        lastRoundLengthUpdateRound = block.number / initialRoundLength;
        lastRoundLengthUpdateStartBlock = lastRoundLengthUpdateRound * initialRoundLength;
    }

    function setRoundLength(uint256 _roundLength) external onlyControllerOwner {
        require(_roundLength > 0, "round length cannot be 0");
        lastRoundLengthUpdateRound = currentRound();
        lastRoundLengthUpdateStartBlock = currentRoundStartBlock();
        roundLength = _roundLength;
        emit ParameterUpdate("roundLength");
    }

    function setRoundLockAmount(uint256 _roundLockAmount) external onlyControllerOwner {
        require(_roundLockAmount <= PERC_DIVISOR, "round lock amount must be a valid percentage");
        roundLockAmount = _roundLockAmount;
        emit ParameterUpdate("roundLockAmount");
    }

    function initializeRound() external whenSystemNotPaused {
        uint256 round = currentRound();
        require(lastInitializedRound < round, "round already initialized");
        lastInitializedRound = round;
        bytes32 hashOfPreviousBlock = blockhash(blockNum() - 1);
        roundBlockHashes[round] = hashOfPreviousBlock;
        emit NewRound(round, hashOfPreviousBlock);
    }

    // On Arbitrum One block.number is the L1 block number; keeping the read
    // behind a function mirrors that contract boundary.
    function blockNum() public view returns (uint256) {
        return block.number;
    }

    function blockHash(uint256 _block) external view returns (bytes32) {
        uint256 current = blockNum();
        require(_block < current, "can only retrieve past block hashes");
        require(current < 256 || _block >= current - 256, "can only retrieve hashes for last 256 blocks");
        return blockhash(_block);
    }

    function blockHashForRound(uint256 _round) external view returns (bytes32) {
        return roundBlockHashes[_round];
    }

    function currentRound() public view returns (uint256) {
        return lastRoundLengthUpdateRound + (blockNum() - lastRoundLengthUpdateStartBlock) / roundLength;
    }

    function currentRoundStartBlock() public view returns (uint256) {
        uint256 roundsSinceUpdate = (blockNum() - lastRoundLengthUpdateStartBlock) / roundLength;
        return lastRoundLengthUpdateStartBlock + roundsSinceUpdate * roundLength;
    }

    function currentRoundInitialized() external view returns (bool) {
        return lastInitializedRound == currentRound();
    }

    function currentRoundLocked() external view returns (bool) {
        uint256 lockedBlocks = (roundLength * roundLockAmount) / PERC_DIVISOR;
        return blockNum() - currentRoundStartBlock() >= roundLength - lockedBlocks;
    }
}
