/**
 * Builds the OrchestratorInfo a gateway receives from GetOrchestrator, in
 * go-livepeer's order and with its rules: price first, ticket params bound to
 * that price, a fresh auth token, and — only when the request named no
 * capabilities — the full per-(capability, model) price list and the workers'
 * hardware. Every input is a function, so each reply reflects the registry's
 * live capacity and the operator's current prices.
 */
import type { CapabilityDescriptor } from '@lpx/sdk';
import { capabilityPrices, toLivepeerCapabilities, type CapabilityPricesOptions, type LivepeerCapabilities, type ToLivepeerOptions } from '../../capabilities/index.js';
import { priceFromInfo, type Address, type PriceInfo, type Rational, type TicketParams } from '../../payments/index.js';
import type { AuthTokenIssuer } from '../auth/auth-token.js';
import type { HardwareInformation, OrchestratorInfo, OSInfo } from '../wire/types.js';
import type { OrchestratorPricing } from './capability-pricing.js';

/** What the builder needs from one GetOrchestrator call (after the signature check). */
export interface OrchestratorInfoRequest {
  readonly gateway: Address;
  readonly capabilities?: LivepeerCapabilities;
  readonly ignoreCapacityCheck: boolean;
}

/** Anything that answers GetOrchestrator; the gRPC service only needs this. */
export interface OrchestratorInfoSource {
  build(request: OrchestratorInfoRequest): Promise<OrchestratorInfo>;
}

/**
 * Issues ticket params for a sender at a price. The payments Recipient
 * (core/src/payments) fits as is; a node without payments passes none and,
 * like an offchain go-livepeer O, sends neither price nor params.
 */
export interface TicketParamsIssuer {
  ticketParams(sender: Address, price: Rational): Promise<TicketParams>;
}

export interface OrchestratorInfoBuilderDeps {
  /** The service URI (`https://host:port`); empty means "not doing work". */
  readonly serviceUri: () => string;
  /** The node's own address (signs results and pings). */
  readonly address: Address;
  readonly descriptors: () => readonly CapabilityDescriptor[];
  readonly nodeVersion: string;
  readonly authTokens: AuthTokenIssuer;
  /** Both or neither: a price without params cannot be paid, params without a price cannot be bound. */
  readonly payments?: { readonly pricing: OrchestratorPricing; readonly tickets: TicketParamsIssuer };
  readonly capabilityOptions?: ToLivepeerOptions;
  readonly priceOptions?: CapabilityPricesOptions;
  readonly hardware?: () => readonly HardwareInformation[];
  readonly storage?: () => readonly OSInfo[];
  readonly nodes?: () => readonly string[];
}

export class OrchestratorInfoBuilder implements OrchestratorInfoSource {
  constructor(private readonly deps: OrchestratorInfoBuilderDeps) {}

  async build(request: OrchestratorInfoRequest): Promise<OrchestratorInfo> {
    const serviceUri = this.deps.serviceUri();
    // go-livepeer treats a node without a service URI like a capability-less request.
    const wanted = serviceUri === '' ? undefined : request.capabilities;
    const descriptors = this.deps.descriptors();

    let priceInfo: PriceInfo | undefined;
    let ticketParams: TicketParams | undefined;
    if (this.deps.payments !== undefined) {
      const { pricing, tickets } = this.deps.payments;
      priceInfo = wanted === undefined ? pricing.basePrice(request.gateway) : pricing.priceForCapabilities(request.gateway, wanted);
      ticketParams = await tickets.ticketParams(request.gateway, priceFromInfo(priceInfo));
    }

    return {
      transcoder: serviceUri,
      ...(ticketParams !== undefined ? { ticketParams } : {}),
      ...(priceInfo !== undefined ? { priceInfo } : {}),
      address: this.deps.address,
      capabilities: toLivepeerCapabilities(descriptors, this.deps.nodeVersion, this.deps.capabilityOptions),
      authToken: this.deps.authTokens.issue(),
      hardware: wanted === undefined ? [...(this.deps.hardware?.() ?? [])] : [],
      storage: [...(this.deps.storage?.() ?? [])],
      capabilitiesPrices: wanted === undefined ? capabilityPrices(descriptors, this.deps.priceOptions) : [],
      nodes: [...(this.deps.nodes?.() ?? [])],
    };
  }
}
