// Livepeer probabilistic micropayments, off-chain part. Chain reads come in
// through chain/sources.ts; winning tickets leave through redemption/winning-ticket.ts.

export type { Hex } from './encoding/bytes.js';
export { bytesToBigInt, bigIntToMinimalBytes, fromHex, toHex } from './encoding/bytes.js';
export { addressKey, parseAddress, toChecksumAddress, type Address } from './encoding/address.js';

export { Rational } from './math/rational.js';
export { MAX_WIN_PROB, ticketEV, winProbForFaceValue, winProbRatio } from './math/ev.js';
export { AVERAGE_GAS_PRICE, DEFAULT_TICKET_EV, faceValueFor, txCost, txCostMultiplierFor, type TicketEconomics } from './math/face-value.js';
export { autoAdjustPrice, feeFor, priceFromInfo, priceToInfo, truncateToMilli } from './math/price.js';

export { keccak256 } from './crypto/keccak256.js';
export { personalMessageHash } from './crypto/eip191.js';
export { defaultSecp256k1Backend, loadNativeBackend, nobleBackend, secp256k1BackendChoice, type Secp256k1Backend, type Secp256k1BackendChoice } from './crypto/secp256k1-backend.js';
export { personalBytesSignerOf, type PersonalBytesSigner } from './crypto/personal-bytes-signer.js';
export { publicKeyToAddress, SECP256K1_N, signPersonalMessage, signatureShapeFault, SignatureVerifier, type SignatureFault } from './crypto/signature.js';
export { auxData, BatchTicketHasher, packTicket, ticketHash } from './crypto/ticket-hash.js';
export { deriveRecipientRand, recipientRandHash, type RecipientRandInputs } from './crypto/recipient-rand.js';
export { isWinningTicket, WinningCheck } from './crypto/winning.js';
export { PrivateKeyTicketSigner, type TicketSigner } from './crypto/ticket-signer.js';

export type { Payment, PriceInfo, RedeemableTicket, Ticket, TicketExpirationParams, TicketParams, TicketSenderParams } from './wire/types.js';
export {
  decodeBase64Strict,
  decodePayment,
  decodePaymentHeaderValue,
  decodeRedeemableTicket,
  encodePayment,
  encodePaymentHeaderValue,
  encodeRedeemableTicket,
} from './wire/payment-codec.js';
export { priceInfoFromMessage, priceInfoToMessage, ticketParamsFromMessage, ticketParamsToMessage } from './wire/message-mapping.js';
export { PAYMENTS_PROTO_PATH, paymentsProtoRoot } from './wire/proto-root.js';
export { decodePaymentHeader, type DecodedPaymentHeader, type DecodedTicket } from './wire/header-decode.js';

export type { ActiveSetSource, GasPriceSource, ReserveInfo, RoundsSource, SenderInfo, SenderInfoSource } from './chain/sources.js';
export { toWinningTicketRecord, winningTicketRecordToRedeemable, type WinningTicketRecord, type WinningTicketSink } from './redemption/winning-ticket.js';

export { Balances, DEFAULT_BALANCE_TTL_MS } from './accounting/balances.js';
export type { CreditStore, NonceOutcome, TicketCredit, TicketCreditResult } from './accounting/credit-store.js';
export { MemoryCreditStore } from './accounting/memory-credit-store.js';
export { DEFAULT_CREDIT_TTL_MS, DEFAULT_NONCE_TTL_MS, RedisCreditStore, type RedisCreditStoreOptions } from './accounting/redis-credit-store.js';
export { BalanceUpdate, stageUpdate, ticketsForGap, type StagedUpdate } from './accounting/stage-update.js';

export { MAX_SENDER_NONCES, NonceTracker } from './recipient/nonce-tracker.js';
export { SenderMonitor, type SenderMonitorConfig } from './recipient/sender-monitor.js';
export { DEFAULT_TICKET_ECONOMICS, PARAMS_EXPIRATION_BLOCKS, Recipient, type IssuedTicketParams, type RecipientConfig, type RecipientDeps } from './recipient/recipient.js';
export type { BatchOutcome, CommitNonces, NonceCommit, TicketBatchInput } from './recipient/ticket-batch-receiver.js';
export { PaymentProcessor, type PaymentProcessorDeps, type PaymentReceipt, type TicketCounters } from './recipient/payment-processor.js';
export { noRefusalCounter, REFUSAL_REASONS, refusalLabel, type RefusalCounter, type RefusalReason } from './recipient/refusal-counter.js';

export { DEFAULT_SENDER_LIMITS, type SenderLimits } from './sender/params-validation.js';
export { TicketSender, type TicketBatch, type TicketSenderDeps } from './sender/ticket-sender.js';
export { paymentFromBatch, paymentHeader, paymentWithoutTickets } from './sender/payment-builder.js';
export { GatewayPayer, type OrchestratorSession, type PreparedPayment } from './sender/gateway-payer.js';

export { isFatalRefusal, paymentErrors, refusalReason } from './errors.js';
export { offchainPaymentsService, paymentsServiceFor } from './payments-service.js';
