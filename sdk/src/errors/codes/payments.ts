import { defineErrors } from '../lpx-error.js';

// Orchestrator-side refusals answer 400 (go-livepeer's status for a failed
// payment) except an undecodable header, which go-livepeer answers with 402.
// `details.fatal` says whether the rest of the payment was abandoned.
export const paymentsErrors = defineErrors('PAYMENTS', {
  NOT_CONFIGURED: { status: 503, description: 'No payments backend is configured for this role.' },

  // Decoding
  MALFORMED_HEADER: { status: 402, description: 'The Livepeer-Payment header is not valid base64 or not a valid protobuf Payment.' },
  REFUSED: { status: 400, description: 'A payment to a plugin-served paid route was refused for a reason whose own code is not a 400 (chain state, queueing); nothing was credited, the cause names why.' },
  MALFORMED_FIELD: { status: 400, description: 'A payment field has the wrong size or range (address, hash, nonce, round).' },
  MISSING_SENDER: { status: 400, description: 'A payment carries ticket params but no sender address.' },
  MISSING_EXPIRATION_PARAMS: { status: 400, description: 'A payment carries tickets but no expiration params (creation round).' },
  INVALID_PRICE: { status: 400, description: 'The expected price is missing, negative or has a zero or negative denominator.' },

  // Recipient (orchestrator) validation
  ORCHESTRATOR_INACTIVE: { status: 400, description: 'The ticket recipient is not in the active set for the current round.' },
  SENDER_UNLOCKING: { status: 400, description: 'The sender deposit and reserve unlock too soon to accept its tickets.' },
  INVALID_RECIPIENT: { status: 400, description: 'The ticket names another recipient than this orchestrator.' },
  INVALID_SENDER: { status: 400, description: 'The ticket sender is the zero address.' },
  INVALID_RECIPIENT_RAND: { status: 400, description: 'The ticket params were not issued by this orchestrator (recipientRand does not match its hash), or were issued before its recipient secret changed.' },
  INVALID_SIGNATURE: { status: 400, description: 'The ticket signature is malformed (length, high S, V) or was not made by the sender.' },
  NONCE_REPLAYED: { status: 400, description: 'A ticket nonce was already seen for these ticket params.' },
  TOO_MANY_NONCES: { status: 400, description: 'More tickets than allowed were sent for one set of ticket params.' },
  TICKET_PARAMS_EXPIRED: { status: 400, description: 'The ticket params expired; fetch fresh params from the orchestrator.' },
  INSUFFICIENT_RESERVE: { status: 503, description: 'The sender reserve cannot back a ticket of the required face value.' },
  INSUFFICIENT_BALANCE: { status: 400, description: 'The session balance is below the ticket EV required before work starts.' },
  WINNER_NOT_QUEUED: { status: 500, description: 'A winning ticket could not be handed to the redemption queue.' },
  CHAIN_STATE_UNAVAILABLE: { status: 503, description: 'Sender or round information could not be read from the chain.' },
  CREDIT_CONTENDED: { status: 503, description: 'A sender balance changed concurrently too many times in a row to apply a credit or debit; the request can be retried.' },
  CREDIT_STORE_CORRUPT: { status: 500, description: 'The durable credit store holds a value that is not what lpx wrote (recipient secret); fix or delete the key named in the message.' },

  // Sender (gateway) validation of params received from an orchestrator
  UNKNOWN_SESSION: { status: 500, description: 'No ticket session exists for this recipientRandHash.' },
  INVALID_TICKET_PARAMS: { status: 502, description: 'The orchestrator sent ticket params the sender refuses (missing or zero expiration block).' },
  FACE_VALUE_TOO_LOW: { status: 502, description: 'The ticket EV is not below its face value (win probability at its maximum).' },
  FACE_VALUE_TOO_HIGH: { status: 502, description: 'The ticket face value exceeds the sender deposit divided by the deposit multiplier.' },
  TICKET_EV_TOO_HIGH: { status: 502, description: 'The ticket EV exceeds the configured maximum ticket EV.' },
  TOTAL_EV_TOO_HIGH: { status: 502, description: 'The EV of the batch exceeds the configured maximum total EV.' },
  SENDER_NOT_FUNDED: { status: 503, description: 'This node as sender is unlocking, or has no deposit or no reserve.' },
  NONCE_EXHAUSTED: { status: 500, description: 'A ticket session ran out of 32-bit nonces; start a new session.' },
});
