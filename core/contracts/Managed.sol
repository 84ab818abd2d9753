// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Interfaces.sol";

/// Base for every contract registered in the Controller: owner-gated setters,
/// the global pause switch and name-based lookup of sibling contracts.
abstract contract Managed {
    IController public controller;

    constructor(address controllerAddress) {
        require(controllerAddress != address(0), "controller is null address");
        controller = IController(controllerAddress);
    }

    modifier onlyControllerOwner() {
        require(msg.sender == controller.owner(), "caller must be Controller owner");
        _;
    }

    modifier whenSystemNotPaused() {
        require(!controller.paused(), "system is paused");
        _;
    }

    // Resolved on every call (not cached) so a Controller update takes effect
    // immediately, the way upgrades behave on the real network.
    function resolve(string memory name) internal view returns (address found) {
        found = controller.getContract(keccak256(bytes(name)));
        require(found != address(0), "contract not registered in Controller");
    }

    function roundsManager() internal view returns (IRoundsManager) {
        return IRoundsManager(resolve("RoundsManager"));
    }

    function bondingManager() internal view returns (IBondingManager) {
        return IBondingManager(resolve("BondingManager"));
    }
}
