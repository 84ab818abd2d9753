export { ChainActiveSetSource, ChainGasPriceSource, ChainRoundsSource, ChainSenderInfoSource, type SenderInfoCacheOptions } from './chain-sources.js';
export { createChainPaymentSources, type ChainPaymentSources, type ChainPaymentSourcesOptions } from './create-sources.js';
export { runPaidTickets, type PaidTicketsOptions, type PaidTicketsResult } from './paid-tickets-demo.js';
