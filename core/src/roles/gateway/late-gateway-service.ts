/**
 * `coreServices.gateway` as the host registers it before plugins init: it
 * forwards to the gateway role's service once the role has been prepared, and
 * on a node without the role it says so (`enabled` false, calls throw
 * GATEWAY_NOT_ENABLED). Its own file, importing only the sdk, so a node
 * without the gateway role does not load the segment client (ADR 0063).
 */
import { errors, type AIGatewayModel, type AIGatewayRequest, type AIGatewayResult, type GatewayService, type SegmentTranscodeRequest, type TranscodedSegment } from '@lpx/sdk';

export class LateGatewayService implements GatewayService {
  readonly enabled: boolean;
  #target: GatewayService | undefined;
  readonly #ready: Promise<GatewayService>;
  #resolve!: (service: GatewayService) => void;

  constructor(enabled: boolean) {
    this.enabled = enabled;
    this.#ready = new Promise((resolve) => (this.#resolve = resolve));
  }

  bind(service: GatewayService): void {
    this.#target = service;
    this.#resolve(service);
  }

  async transcodeSegment(request: SegmentTranscodeRequest): Promise<TranscodedSegment> {
    return (await this.#service()).transcodeSegment(request);
  }

  async endStream(streamId: string): Promise<void> {
    return (await this.#service()).endStream(streamId);
  }

  async ai(request: AIGatewayRequest): Promise<AIGatewayResult> {
    return (await this.#service()).ai(request);
  }

  async aiModels(): Promise<readonly AIGatewayModel[]> {
    return (await this.#service()).aiModels();
  }

  async authenticate(authorization: string | undefined): Promise<string | undefined> {
    return (await this.#service()).authenticate(authorization);
  }

  async #service(): Promise<GatewayService> {
    if (!this.enabled) throw errors.gateway.NOT_ENABLED.create('this node does not run the gateway role (node.roles)');
    return this.#target ?? this.#ready;
  }
}
