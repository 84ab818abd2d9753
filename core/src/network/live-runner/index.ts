// The gateway's client of go-livepeer's Live Runner wire (ADR 0043): discovery, the 402 challenge, paid
// reservations, session payments and stop, calls on the apps behind an orchestrator.
export { fetchDiscovery, LIVE_RUNNER_PRICE_UNITS, MAX_DISCOVERY_BYTES, parseDiscovery, type DiscoveredRunner, type FetchDiscoveryOptions, type LiveRunnerWirePrice, type ParsedDiscovery } from './live-runner-discovery.js';
export { MAX_CHALLENGE_BYTES, parseChallenge, type LiveRunnerChallenge } from './live-runner-challenge.js';
export { LIVE_PAYMENT_DEFAULTS, liveFee, PIXELS_720P_PER_SECOND, unitsAhead, unitsForElapsed, unitsPerSecond } from './live-payment-plan.js';
export { LivePaymentLoop, type LivePaymentLoopOptions, type LivePaymentPort, type PreparedLivePayment } from './live-payment-loop.js';
export {
  callLiveApp,
  liveRunnerCall,
  readText,
  challengeOf,
  PAYER_ADDRESS_HEADER,
  PAYMENT_HEADER,
  payLiveSession,
  refusalOf,
  reserveLiveSession,
  SEGMENT_HEADER,
  stopLiveSession,
  type AppRequest,
  type LiveRunnerSessionReply,
  type PaymentHeaders,
  type ReserveAnswer,
  type WireCallOptions,
} from './live-runner-wire.js';
export { pipeUpgrade, refuseUpgrade } from './upgrade-pipe.js';
