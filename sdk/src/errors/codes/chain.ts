import { defineErrors } from '../lpx-error.js';

// Chain access (viem, the dev protocol contracts, the embedded anvil) and the
// settlement of winning tickets on the TicketBroker.
export const chainErrors = defineErrors('CHAIN', {
  RPC_UNREACHABLE: { status: 503, description: 'The Ethereum JSON-RPC endpoint did not answer.' },
  CONTRACT_NOT_REGISTERED: { status: 500, description: 'The Controller has no address for a protocol contract name.' },
  NO_CONTRACT_CODE: { status: 500, description: 'The address given as Controller (or resolved through it) holds no contract code.' },
  KEY_MISSING: { status: 500, description: 'No Ethereum key was configured (LPX_ETH_KEY or a keystore file).' },
  KEY_INVALID: { status: 500, description: 'The configured Ethereum private key is not 32 bytes of hex.' },
  KEYSTORE_INVALID: { status: 500, description: 'The keystore file is not a supported JSON keystore (scrypt or pbkdf2, aes-128-ctr).' },
  KEYSTORE_PASSWORD: { status: 500, description: 'The keystore password is wrong (MAC mismatch).' },
  AMOUNT_INVALID: { status: 400, description: 'An amount is not a non-negative whole number of wei written in decimal.' },
  TX_REVERTED: { status: 500, description: 'A transaction was mined but reverted; the message carries the revert reason.' },
  ANVIL_BINARY_MISSING: { status: 500, description: 'The anvil binary from @foundry-rs/anvil was not found in node_modules.' },
  ANVIL_START: { status: 500, description: 'The embedded anvil child process did not become ready.' },
  DEPLOY_FAILED: { status: 500, description: 'Deploying the dev protocol contracts to the embedded chain failed.' },
  SETTLEMENT_TICKET_INVALID: { status: 400, description: 'A winning ticket handed to settlement is malformed (bad field, not a winner, or auxData not 64 bytes).' },
  SETTLEMENT_REDEEM_FAILED: { status: 500, description: 'A winning ticket could not be redeemed and was recorded as failed; it stays in Redis for inspection.' },
  SETTLEMENT_WRONG_RECIPIENT: { status: 400, description: "A winning ticket was handed to another orchestrator's redemption queue; each recipient address has its own queue, ledger and worker." },
  SETTLEMENT_TICKET_EXPIRED: { status: 500, description: 'A winning ticket passed its validity period (creation round + ticketValidityPeriod) before it could be redeemed; recorded as failed with the last reason it waited or retried for.' },
});
