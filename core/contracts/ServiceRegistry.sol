// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Managed.sol";

/// Where orchestrators publish the URI gateways reach them at.
contract ServiceRegistry is Managed {
    mapping(address => string) private serviceURIs;

    event ServiceURIUpdate(address indexed addr, string serviceURI);

    constructor(address controllerAddress) Managed(controllerAddress) {}

    function setServiceURI(string calldata _serviceURI) external {
        serviceURIs[msg.sender] = _serviceURI;
        emit ServiceURIUpdate(msg.sender, _serviceURI);
    }

    function getServiceURI(address _addr) external view returns (string memory) {
        return serviceURIs[_addr];
    }
}
