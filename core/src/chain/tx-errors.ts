import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InternalRpcError,
  LimitExceededRpcError,
  NonceTooHighError,
  NonceTooLowError,
  ResourceUnavailableRpcError,
  SocketClosedError,
  TimeoutError,
  TransactionReceiptNotFoundError,
  WaitForTransactionReceiptTimeoutError,
} from 'viem';

export type ChainFailure =
  /** The contract refused: retrying the same call cannot help. */
  | { kind: 'revert'; reason: string }
  /** The node, network or nonce bookkeeping hiccuped: retry later. */
  | { kind: 'transient'; message: string }
  | { kind: 'unknown'; message: string };

const TRANSIENT = [
  HttpRequestError,
  TimeoutError,
  SocketClosedError,
  InternalRpcError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  NonceTooLowError,
  NonceTooHighError,
  TransactionReceiptNotFoundError,
  WaitForTransactionReceiptTimeoutError,
];

// Nodes word these differently and viem does not always map them to a class.
const TRANSIENT_TEXT = /nonce too low|replacement transaction underpriced|already known|ECONNREFUSED|ECONNRESET|fetch failed/i;

function messageOf(error: unknown): string {
  if (error instanceof BaseError) return error.shortMessage;
  return error instanceof Error ? error.message : String(error);
}

/** Sorts a viem error into revert / transient / unknown for retry decisions. */
export function classifyChainError(error: unknown): ChainFailure {
  if (error instanceof BaseError) {
    const reverted = error.walk((inner) => inner instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      return { kind: 'revert', reason: reverted.reason ?? reverted.shortMessage };
    }
    const transient = error.walk((inner) => TRANSIENT.some((type) => inner instanceof type));
    if (transient !== null) return { kind: 'transient', message: messageOf(transient) };
  }
  const message = messageOf(error);
  const fullText = error instanceof Error ? `${message} ${error.message}` : message;
  if (TRANSIENT_TEXT.test(fullText)) return { kind: 'transient', message };
  return { kind: 'unknown', message };
}

/** The contract's revert reason if the error is a revert, else undefined. */
export function revertReason(error: unknown): string | undefined {
  const failure = classifyChainError(error);
  return failure.kind === 'revert' ? failure.reason : undefined;
}
