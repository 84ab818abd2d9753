import { isLpxError, type LpxError } from '@lpx/sdk';
import { BaseError, ContractFunctionRevertedError, ContractFunctionZeroDataError } from 'viem';
import { discoveryErrors } from './discovery-errors.js';

/**
 * Maps whatever a chain read threw onto the discovery codes. None of the
 * views discovery calls reverts or answers empty on the real contracts, so
 * either means the address holds some other contract (or none) — a config
 * mistake an operator fixes differently from an RPC outage.
 */
export function toDiscoveryError(error: unknown, rpcUrl: string): LpxError {
  const where = redactRpcUrl(rpcUrl);
  if (isLpxError(error)) return error;
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof ContractFunctionZeroDataError || e instanceof ContractFunctionRevertedError)) {
      return discoveryErrors.ONCHAIN_CONTRACT_MISSING.create(`on-chain discovery: not the expected contract at that address: ${error.shortMessage}`, {
        cause: error,
      });
    }
    return discoveryErrors.ONCHAIN_UNREACHABLE.create(`on-chain discovery via ${where}: ${error.shortMessage}`, { cause: error });
  }
  return discoveryErrors.ONCHAIN_UNREACHABLE.create(`on-chain discovery via ${where}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

/** Hosted RPC URLs carry API keys in the path or query; logs and errors name only the origin. */
export function redactRpcUrl(rpcUrl: string): string {
  try {
    return new URL(rpcUrl).origin;
  } catch {
    return 'the configured rpcUrl';
  }
}
