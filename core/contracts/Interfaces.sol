// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// The cross-contract surface our dev protocol contracts use to find and call
// each other. Names and selectors follow Livepeer's deployed contracts so the
// same client code talks to this dev chain and to Arbitrum One.

interface IController {
    function owner() external view returns (address);
    function paused() external view returns (bool);
    function getContract(bytes32 id) external view returns (address);
}

interface IRoundsManager {
    function currentRound() external view returns (uint256);
    function currentRoundInitialized() external view returns (bool);
    function blockHashForRound(uint256 round) external view returns (bytes32);
}

interface IBondingManager {
    function isActiveTranscoder(address transcoder) external view returns (bool);
    function getTranscoderPoolSize() external view returns (uint256);
    function updateTranscoderWithFees(address transcoder, uint256 fees, uint256 round) external payable;
}
