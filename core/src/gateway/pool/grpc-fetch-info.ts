/**
 * The pool's default GetOrchestrator: the network client with credentials
 * signed once at start, over the pool's kept channels (one per orchestrator,
 * reused across rounds, ADR 0062), bounded as a whole by `timeoutMs` (the client's own
 * budgets apply to the connection and the RPC separately), and released early
 * when the pool closes.
 */
import { CONNECT_TIMEOUT_MS, getOrchestratorInfo, networkErrors, type GatewayCredentials, type OrchestratorChannels, type OrchestratorInfo } from '../../network/index.js';
import type { FetchInfo } from './pool-options.js';

export function grpcFetchInfo(credentials: GatewayCredentials, channels?: OrchestratorChannels): FetchInfo {
  return (uri, { capabilities, timeoutMs, signal }) =>
    new Promise<OrchestratorInfo>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      // The client has no abort hook: the losing call finishes on its own deadline and its result is dropped.
      const timer = setTimeout(
        () => reject(networkErrors.UNREACHABLE.create(`orchestrator ${uri} GetOrchestrator did not answer within ${timeoutMs} ms`, { details: { uri, timeoutMs } })),
        timeoutMs,
      );
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      getOrchestratorInfo(uri, {
        credentials,
        ...(channels !== undefined ? { channels } : {}),
        timeoutMs,
        connectTimeoutMs: Math.min(timeoutMs, CONNECT_TIMEOUT_MS),
        ...(capabilities !== undefined ? { capabilities } : {}),
      })
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        });
    });
}
