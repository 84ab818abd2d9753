// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Recovers who personal-signed (EIP-191) a 32-byte digest. Only canonical
/// signatures are accepted — 65 bytes, v of 27 or 28, s in the lower half of
/// the curve order — so a signature has exactly one valid encoding and cannot
/// be malleated into a second "different" ticket.
library TicketSignature {
    uint256 private constant HALF_CURVE_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    function signerOf(bytes32 digest, bytes memory sig) internal pure returns (address signer) {
        require(sig.length == 65, "INVALID_SIGNATURE_LENGTH");
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            v := byte(0, mload(add(sig, 96)))
        }
        require(uint256(s) <= HALF_CURVE_ORDER, "signature s value too high");
        require(v == 27 || v == 28, "signature v value must be 27 or 28");
        bytes32 prefixed = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", digest));
        signer = ecrecover(prefixed, v, r, s);
        require(signer != address(0), "invalid signature");
    }
}
