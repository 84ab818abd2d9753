// Test doubles only: never wired into a running node.
export { FixedGasPrice, InMemoryActiveSet, InMemoryRoundsSource, InMemorySenderInfoSource } from './in-memory-chain.js';
export { InMemoryWinningTicketSink } from './in-memory-sink.js';
