// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Managed.sol";

/// Dev stand-in for the staking contract. There is no token, bonding or
/// reward logic: the Controller owner sets each orchestrator's stake directly
/// and the pool (active set) is kept sorted by stake, highest first, which is
/// all that reserve allocation and discovery read.
contract BondingManager is Managed {
    // Status values match the network's enum order.
    uint8 private constant STATUS_NOT_REGISTERED = 0;
    uint8 private constant STATUS_REGISTERED = 1;

    struct Transcoder {
        uint256 stake;
        uint256 activationRound;
        uint256 rewardCut;
        uint256 feeShare;
        uint256 fees;
        uint256 lastFeeRound;
        uint256 cumulativeFees;
    }

    uint256 public maxPoolSize;
    uint256 private totalBonded;
    address[] private pool;
    mapping(address => Transcoder) private transcoders;
    mapping(address => uint256) private poolPositionPlusOne;

    event TranscoderUpdate(address indexed transcoder, uint256 rewardCut, uint256 feeShare);
    event TranscoderActivated(address indexed transcoder, uint256 activationRound);
    event TranscoderDeactivated(address indexed transcoder, uint256 deactivationRound);
    event WithdrawFees(address indexed delegator, address recipient, uint256 amount);
    event ParameterUpdate(string param);

    constructor(address controllerAddress, uint256 _maxPoolSize) Managed(controllerAddress) {
        maxPoolSize = _maxPoolSize;
    }

    modifier onlyTicketBroker() {
        require(msg.sender == resolve("TicketBroker"), "caller must be TicketBroker");
        _;
    }

    function setNumActiveTranscoders(uint256 _numActiveTranscoders) external onlyControllerOwner {
        require(_numActiveTranscoders >= pool.length, "pool is larger than the new limit");
        maxPoolSize = _numActiveTranscoders;
        emit ParameterUpdate("numActiveTranscoders");
    }

    /// Puts `_transcoder` in the active set with `_stake`, or updates its stake.
    function setTranscoder(address _transcoder, uint256 _stake) external onlyControllerOwner {
        require(_transcoder != address(0), "transcoder is null address");
        require(_stake > 0, "stake must be positive");
        Transcoder storage t = transcoders[_transcoder];
        if (poolPositionPlusOne[_transcoder] == 0) {
            require(pool.length < maxPoolSize, "transcoder pool is full");
            pool.push(_transcoder);
            poolPositionPlusOne[_transcoder] = pool.length;
            t.activationRound = roundsManager().currentRound();
            emit TranscoderActivated(_transcoder, t.activationRound);
        }
        totalBonded = totalBonded - t.stake + _stake;
        t.stake = _stake;
        bubbleToSortedPosition(poolPositionPlusOne[_transcoder] - 1);
    }

    function removeTranscoder(address _transcoder) external onlyControllerOwner {
        uint256 positionPlusOne = poolPositionPlusOne[_transcoder];
        require(positionPlusOne != 0, "transcoder is not in the pool");
        for (uint256 i = positionPlusOne - 1; i + 1 < pool.length; i++) {
            pool[i] = pool[i + 1];
            poolPositionPlusOne[pool[i]] = i + 1;
        }
        pool.pop();
        poolPositionPlusOne[_transcoder] = 0;
        totalBonded -= transcoders[_transcoder].stake;
        transcoders[_transcoder].stake = 0;
        emit TranscoderDeactivated(_transcoder, roundsManager().currentRound());
    }

    /// Orchestrators set their own reward cut and fee share, as on the network.
    function transcoder(uint256 _rewardCut, uint256 _feeShare) external {
        transcoders[msg.sender].rewardCut = _rewardCut;
        transcoders[msg.sender].feeShare = _feeShare;
        emit TranscoderUpdate(msg.sender, _rewardCut, _feeShare);
    }

    /// Winning-ticket value arrives here with the call so orchestrators can
    /// withdraw it later; the network routes it through a Minter instead.
    function updateTranscoderWithFees(address _transcoder, uint256 _fees, uint256 _round)
        external
        payable
        onlyTicketBroker
    {
        require(msg.value == _fees, "fee value mismatch");
        Transcoder storage t = transcoders[_transcoder];
        t.fees += _fees;
        t.cumulativeFees += _fees;
        t.lastFeeRound = _round;
    }

    function withdrawFees(address payable _recipient, uint256 _amount) external whenSystemNotPaused {
        Transcoder storage t = transcoders[msg.sender];
        require(_amount <= t.fees, "insufficient fees to withdraw");
        t.fees -= _amount;
        (bool sent, ) = _recipient.call{value: _amount}("");
        require(sent, "fee transfer failed");
        emit WithdrawFees(msg.sender, _recipient, _amount);
    }

    function pendingFees(address _delegator, uint256) external view returns (uint256) {
        return transcoders[_delegator].fees;
    }

    function getTranscoderPoolSize() external view returns (uint256) {
        return pool.length;
    }

    function getTranscoderPoolMaxSize() external view returns (uint256) {
        return maxPoolSize;
    }

    function getFirstTranscoderInPool() external view returns (address) {
        return pool.length == 0 ? address(0) : pool[0];
    }

    function getNextTranscoderInPool(address _transcoder) external view returns (address) {
        uint256 positionPlusOne = poolPositionPlusOne[_transcoder];
        if (positionPlusOne == 0 || positionPlusOne >= pool.length) return address(0);
        return pool[positionPlusOne];
    }

    function isActiveTranscoder(address _transcoder) public view returns (bool) {
        return poolPositionPlusOne[_transcoder] != 0;
    }

    function isRegisteredTranscoder(address _transcoder) external view returns (bool) {
        return isActiveTranscoder(_transcoder);
    }

    function transcoderStatus(address _transcoder) external view returns (uint8) {
        return isActiveTranscoder(_transcoder) ? STATUS_REGISTERED : STATUS_NOT_REGISTERED;
    }

    function transcoderTotalStake(address _transcoder) external view returns (uint256) {
        return transcoders[_transcoder].stake;
    }

    function getTotalBonded() external view returns (uint256) {
        return totalBonded;
    }

    /// Same ten outputs as the network's getter; fields this dev contract
    /// does not model are zero, and an active transcoder never deactivates.
    function getTranscoder(address _transcoder)
        external
        view
        returns (
            uint256 lastRewardRound,
            uint256 rewardCut,
            uint256 feeShare,
            uint256 lastActiveStakeUpdateRound,
            uint256 activationRound,
            uint256 deactivationRound,
            uint256 activeCumulativeRewards,
            uint256 cumulativeRewards,
            uint256 cumulativeFees,
            uint256 lastFeeRound
        )
    {
        Transcoder storage t = transcoders[_transcoder];
        bool active = isActiveTranscoder(_transcoder);
        rewardCut = t.rewardCut;
        feeShare = t.feeShare;
        activationRound = active ? t.activationRound : 0;
        deactivationRound = active ? type(uint256).max : 0;
        cumulativeFees = t.cumulativeFees;
        lastFeeRound = t.lastFeeRound;
        lastRewardRound = 0;
        lastActiveStakeUpdateRound = 0;
        activeCumulativeRewards = 0;
        cumulativeRewards = 0;
    }

    // Insertion step after a stake change: move the entry at `i` up or down
    // until the pool is sorted by stake again.
    function bubbleToSortedPosition(uint256 i) private {
        while (i > 0 && transcoders[pool[i - 1]].stake < transcoders[pool[i]].stake) {
            swap(i - 1, i);
            i--;
        }
        while (i + 1 < pool.length && transcoders[pool[i + 1]].stake > transcoders[pool[i]].stake) {
            swap(i, i + 1);
            i++;
        }
    }

    function swap(uint256 a, uint256 b) private {
        (pool[a], pool[b]) = (pool[b], pool[a]);
        poolPositionPlusOne[pool[a]] = a + 1;
        poolPositionPlusOne[pool[b]] = b + 1;
    }
}
