// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Registry of protocol contracts keyed by keccak256(contract name), plus the
/// owner and pause switch that every registered contract consults.
contract Controller {
    struct Entry {
        address contractAddress;
        bytes20 gitCommitHash;
    }

    address public owner;
    bool public paused;
    mapping(bytes32 => Entry) private registry;

    event SetContractInfo(bytes32 id, address contractAddress, bytes20 gitCommitHash);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event Pause();
    event Unpause();

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "caller is not the owner");
        _;
    }

    function setContractInfo(bytes32 _id, address _contractAddress, bytes20 _gitCommitHash) external onlyOwner {
        registry[_id] = Entry(_contractAddress, _gitCommitHash);
        emit SetContractInfo(_id, _contractAddress, _gitCommitHash);
    }

    function getContractInfo(bytes32 _id) external view returns (address, bytes20) {
        Entry storage entry = registry[_id];
        return (entry.contractAddress, entry.gitCommitHash);
    }

    function getContract(bytes32 _id) external view returns (address) {
        return registry[_id].contractAddress;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "new owner is null address");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function pause() external onlyOwner {
        paused = true;
        emit Pause();
    }

    function unpause() external onlyOwner {
        paused = false;
        emit Unpause();
    }
}
