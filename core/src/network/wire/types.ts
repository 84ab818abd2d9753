/**
 * Decoded discovery messages of the `net` package. Integers that can exceed
 * 2^53 are bigint; addresses and signatures are raw bytes. Capabilities reuse
 * the capability registry's plain-object form, payments types come from the
 * payments module, so each concept has exactly one TypeScript shape.
 */
import type { LivepeerCapabilities, LivepeerCapabilityPrice } from '../../capabilities/index.js';
import type { Address, PriceInfo, TicketParams } from '../../payments/index.js';

export interface OrchestratorRequest {
  /** 20 bytes as sent (go-livepeer keeps the last 20 of longer input). */
  readonly address: Uint8Array;
  readonly sig: Uint8Array;
  /** Absent means "no job yet": the reply then lists all prices and hardware. */
  readonly capabilities?: LivepeerCapabilities;
  readonly ignoreCapacityCheck: boolean;
}

export interface AuthToken {
  readonly token: Uint8Array;
  readonly sessionId: string;
  /** Unix seconds. */
  readonly expiration: bigint;
}

export interface GpuComputeInfo {
  readonly id: string;
  readonly name: string;
  readonly major: number;
  readonly minor: number;
  readonly memoryFree: bigint;
  readonly memoryTotal: bigint;
}

export interface HardwareInformation {
  readonly pipeline: string;
  readonly modelId: string;
  readonly gpuInfo: Readonly<Record<string, GpuComputeInfo>>;
}

export type StorageType = 'DIRECT' | 'S3' | 'GOOGLE';

export interface S3OSInfo {
  readonly host: string;
  readonly key: string;
  readonly policy: string;
  readonly signature: string;
  readonly credential: string;
  readonly xAmzDate: string;
}

export interface OSInfo {
  readonly storageType: StorageType;
  readonly s3info?: S3OSInfo;
}

export interface OrchestratorInfo {
  /** The service URI: base of the HTTP routes, and the gRPC host:port. */
  readonly transcoder: string;
  readonly ticketParams?: TicketParams;
  readonly priceInfo?: PriceInfo;
  readonly address: Address;
  readonly capabilities?: LivepeerCapabilities;
  readonly authToken?: AuthToken;
  readonly hardware: readonly HardwareInformation[];
  readonly storage: readonly OSInfo[];
  readonly capabilitiesPrices: readonly LivepeerCapabilityPrice[];
  readonly nodes: readonly string[];
}
