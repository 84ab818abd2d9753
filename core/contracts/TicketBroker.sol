// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Managed.sol";
import "./TicketSignature.sol";

/// Probabilistic-micropayment settlement. Senders lock ETH as a deposit (paid
/// out first) and a reserve (shared equally by the active set as a guarantee
/// once the deposit runs dry); recipients redeem winning tickets after
/// revealing the random number they committed to.
///
/// The external ABI (function names, argument and struct layouts, events) is
/// the one go-livepeer binds to, so the same client works against this dev
/// contract and the network's.
contract TicketBroker is Managed {
    struct Ticket {
        address recipient;
        address sender;
        uint256 faceValue;
        uint256 winProb;
        uint256 senderNonce;
        bytes32 recipientRandHash;
        bytes auxData;
    }

    struct Sender {
        uint256 deposit;
        uint256 withdrawRound;
    }

    struct ReserveInfo {
        uint256 fundsRemaining;
        uint256 claimedInCurrentRound;
    }

    struct Reserve {
        uint256 funds;
        mapping(uint256 => uint256) claimedInRound;
        mapping(uint256 => mapping(address => uint256)) claimedInRoundBy;
    }

    uint256 public unlockPeriod;
    uint256 public ticketValidityPeriod;
    mapping(bytes32 => bool) public usedTickets;

    mapping(address => Sender) private senders;
    mapping(address => Reserve) private reserves;

    event DepositFunded(address indexed sender, uint256 amount);
    event ReserveFunded(address indexed reserveHolder, uint256 amount);
    event ReserveClaimed(address indexed reserveHolder, address claimant, uint256 amount);
    event WinningTicketRedeemed(
        address indexed sender,
        address indexed recipient,
        uint256 faceValue,
        uint256 winProb,
        uint256 senderNonce,
        uint256 recipientRand,
        bytes auxData
    );
    event WinningTicketTransfer(address indexed sender, address indexed recipient, uint256 amount);
    event Unlock(address indexed sender, uint256 startRound, uint256 endRound);
    event UnlockCancelled(address indexed sender);
    event Withdrawal(address indexed sender, uint256 deposit, uint256 reserve);
    event ParameterUpdate(string param);

    constructor(address controllerAddress) Managed(controllerAddress) {}

    modifier currentRoundInitialized() {
        require(roundsManager().currentRoundInitialized(), "current round is not initialized");
        _;
    }

    function setUnlockPeriod(uint256 _unlockPeriod) external onlyControllerOwner {
        unlockPeriod = _unlockPeriod;
        emit ParameterUpdate("unlockPeriod");
    }

    function setTicketValidityPeriod(uint256 _ticketValidityPeriod) external onlyControllerOwner {
        require(_ticketValidityPeriod > 0, "ticketValidityPeriod must be greater than 0");
        ticketValidityPeriod = _ticketValidityPeriod;
        emit ParameterUpdate("ticketValidityPeriod");
    }

    // ---- funding ----------------------------------------------------------

    function fundDeposit() external payable whenSystemNotPaused {
        creditDeposit(msg.sender, msg.value);
    }

    function fundReserve() external payable whenSystemNotPaused {
        creditReserve(msg.sender, msg.value);
    }

    function fundDepositAndReserve(uint256 _depositAmount, uint256 _reserveAmount) external payable {
        fundDepositAndReserveFor(msg.sender, _depositAmount, _reserveAmount);
    }

    function fundDepositAndReserveFor(address _addr, uint256 _depositAmount, uint256 _reserveAmount)
        public
        payable
        whenSystemNotPaused
    {
        require(
            msg.value == _depositAmount + _reserveAmount,
            "msg.value does not equal sum of deposit amount and reserve amount"
        );
        creditDeposit(_addr, _depositAmount);
        creditReserve(_addr, _reserveAmount);
    }

    // ---- unlock / withdraw -------------------------------------------------

    function unlock() external whenSystemNotPaused {
        Sender storage s = senders[msg.sender];
        require(s.deposit > 0 || reserves[msg.sender].funds > 0, "sender deposit and reserve are zero");
        require(s.withdrawRound == 0, "unlock already initiated");
        uint256 round = roundsManager().currentRound();
        s.withdrawRound = round + unlockPeriod;
        emit Unlock(msg.sender, round, s.withdrawRound);
    }

    function cancelUnlock() external whenSystemNotPaused {
        stopUnlock(msg.sender);
    }

    function withdraw() external whenSystemNotPaused {
        Sender storage s = senders[msg.sender];
        uint256 deposit = s.deposit;
        uint256 reserve = reserves[msg.sender].funds;
        require(deposit > 0 || reserve > 0, "sender deposit and reserve are zero");
        require(s.withdrawRound > 0, "no unlock request in progress");
        require(!isLocked(s), "account is locked");

        s.deposit = 0;
        // Per-round claim counters stay behind; redemption refuses unlocked
        // senders, so stale counters can never be used against a new reserve.
        reserves[msg.sender].funds = 0;

        (bool sent, ) = payable(msg.sender).call{value: deposit + reserve}("");
        require(sent, "withdrawal transfer failed");
        emit Withdrawal(msg.sender, deposit, reserve);
    }

    function isUnlockInProgress(address _sender) external view returns (bool) {
        return senders[_sender].withdrawRound > 0;
    }

    // ---- redemption --------------------------------------------------------

    function redeemWinningTicket(Ticket memory _ticket, bytes memory _sig, uint256 _recipientRand)
        public
        whenSystemNotPaused
        currentRoundInitialized
    {
        bytes32 ticketHash = getTicketHash(_ticket);
        uint256 creationRound = checkWinningTicket(_ticket, ticketHash, _sig, _recipientRand);

        Sender storage s = senders[_ticket.sender];
        require(isLocked(s), "sender is unlocked");
        require(s.deposit > 0 || reserves[_ticket.sender].funds > 0, "sender deposit and reserve are zero");

        usedTickets[ticketHash] = true;

        uint256 payout;
        if (_ticket.faceValue <= s.deposit) {
            payout = _ticket.faceValue;
            s.deposit -= _ticket.faceValue;
        } else {
            uint256 shortfall = _ticket.faceValue - s.deposit;
            payout = s.deposit + claimFromReserve(_ticket.sender, _ticket.recipient, shortfall);
            s.deposit = 0;
        }

        if (payout > 0) {
            bondingManager().updateTranscoderWithFees{value: payout}(_ticket.recipient, payout, creationRound);
            emit WinningTicketTransfer(_ticket.sender, _ticket.recipient, payout);
        }

        emit WinningTicketRedeemed(
            _ticket.sender,
            _ticket.recipient,
            _ticket.faceValue,
            _ticket.winProb,
            _ticket.senderNonce,
            _recipientRand,
            _ticket.auxData
        );
    }

    /// Redeems what it can; a ticket that reverts is skipped, not fatal.
    function batchRedeemWinningTickets(Ticket[] memory _tickets, bytes[] memory _sigs, uint256[] memory _recipientRands)
        external
        whenSystemNotPaused
        currentRoundInitialized
    {
        for (uint256 i = 0; i < _tickets.length; i++) {
            try this.redeemWinningTicket(_tickets[i], _sigs[i], _recipientRands[i]) {} catch {}
        }
    }

    // ---- views ---------------------------------------------------------------

    function getTicketHash(Ticket memory _ticket) public pure returns (bytes32) {
        return keccak256(
            abi.encodePacked(
                _ticket.recipient,
                _ticket.sender,
                _ticket.faceValue,
                _ticket.winProb,
                _ticket.senderNonce,
                _ticket.recipientRandHash,
                _ticket.auxData
            )
        );
    }

    function getSenderInfo(address _sender) external view returns (Sender memory sender, ReserveInfo memory reserve) {
        sender = senders[_sender];
        reserve = getReserveInfo(_sender);
    }

    function getReserveInfo(address _reserveHolder) public view returns (ReserveInfo memory info) {
        Reserve storage r = reserves[_reserveHolder];
        info.fundsRemaining = r.funds;
        info.claimedInCurrentRound = r.claimedInRound[roundsManager().currentRound()];
    }

    /// An active orchestrator's equal share of the reserve for this round,
    /// minus what it already claimed this round.
    function claimableReserve(address _reserveHolder, address _claimant) public view returns (uint256) {
        IBondingManager bonding = bondingManager();
        if (!bonding.isActiveTranscoder(_claimant)) return 0;
        uint256 poolSize = bonding.getTranscoderPoolSize();
        if (poolSize == 0) return 0;
        Reserve storage r = reserves[_reserveHolder];
        uint256 round = roundsManager().currentRound();
        uint256 share = (r.funds + r.claimedInRound[round]) / poolSize;
        uint256 alreadyClaimed = r.claimedInRoundBy[round][_claimant];
        return share > alreadyClaimed ? share - alreadyClaimed : 0;
    }

    function claimedReserve(address _reserveHolder, address _claimant) external view returns (uint256) {
        return reserves[_reserveHolder].claimedInRoundBy[roundsManager().currentRound()][_claimant];
    }

    // ---- internals -----------------------------------------------------------

    function creditDeposit(address _sender, uint256 _amount) private {
        senders[_sender].deposit += _amount;
        cancelUnlockIfSelfFunded(_sender);
        emit DepositFunded(_sender, _amount);
    }

    function creditReserve(address _sender, uint256 _amount) private {
        reserves[_sender].funds += _amount;
        emit ReserveFunded(_sender, _amount);
        cancelUnlockIfSelfFunded(_sender);
    }

    // Topping up your own funds signals you mean to keep sending tickets, so
    // a pending unlock is dropped; a third party funding you cannot do that.
    function cancelUnlockIfSelfFunded(address _sender) private {
        if (msg.sender == _sender && senders[_sender].withdrawRound > 0) stopUnlock(_sender);
    }

    function stopUnlock(address _sender) private {
        require(senders[_sender].withdrawRound > 0, "no unlock request in progress");
        senders[_sender].withdrawRound = 0;
        emit UnlockCancelled(_sender);
    }

    function isLocked(Sender storage s) private view returns (bool) {
        return s.withdrawRound == 0 || roundsManager().currentRound() < s.withdrawRound;
    }

    function claimFromReserve(address _holder, address _claimant, uint256 _wanted) private returns (uint256 claimed) {
        uint256 available = claimableReserve(_holder, _claimant);
        claimed = _wanted < available ? _wanted : available;
        if (claimed == 0) return 0;
        uint256 round = roundsManager().currentRound();
        Reserve storage r = reserves[_holder];
        r.claimedInRound[round] += claimed;
        r.claimedInRoundBy[round][_claimant] += claimed;
        r.funds -= claimed;
        emit ReserveClaimed(_holder, _claimant, claimed);
    }

    /// Reverts unless the ticket is a valid, unused winner; returns its creation round.
    function checkWinningTicket(Ticket memory _ticket, bytes32 _ticketHash, bytes memory _sig, uint256 _recipientRand)
        private
        view
        returns (uint256 creationRound)
    {
        require(_ticket.recipient != address(0), "ticket recipient is null address");
        require(_ticket.sender != address(0), "ticket sender is null address");
        creationRound = checkCreationRound(_ticket.auxData);
        require(
            keccak256(abi.encodePacked(_recipientRand)) == _ticket.recipientRandHash,
            "recipientRand does not match recipientRandHash"
        );
        require(!usedTickets[_ticketHash], "ticket is used");
        require(
            TicketSignature.signerOf(_ticketHash, _sig) == _ticket.sender,
            "invalid signature over ticket hash"
        );
        require(uint256(keccak256(abi.encodePacked(_sig, _recipientRand))) < _ticket.winProb, "ticket did not win");
    }

    function checkCreationRound(bytes memory _auxData) private view returns (uint256 creationRound) {
        require(_auxData.length == 64, "invalid length for ticket auxData: must be 64 bytes");
        bytes32 committedHash;
        assembly {
            creationRound := mload(add(_auxData, 32))
            committedHash := mload(add(_auxData, 64))
        }
        IRoundsManager rounds = roundsManager();
        bytes32 recordedHash = rounds.blockHashForRound(creationRound);
        require(recordedHash != bytes32(0), "ticket creationRound does not have a block hash");
        require(committedHash == recordedHash, "ticket creationRoundBlockHash invalid for creationRound");
        require(creationRound + ticketValidityPeriod > rounds.currentRound(), "ticket is expired");
    }
}
