/**
 * The wording of each refusal `lpx start` makes for config reasons, once: the
 * boot step that needs a setting throws it, and `lpx config check`
 * (boot/config-refusals.ts) throws the same error before anything starts.
 * Kept free of heavy imports so the check can load it cheaply.
 */
import { errors, isCapabilityId } from '@lpx/sdk';

export function redeemerNeedsChain(): Error {
  return errors.config.INVALID.create("the redeemer role needs a chain: set chain.rpcUrl and chain.controller (and the orchestrator's key)");
}

export function autoSessionsNeedTranscode(): Error {
  return errors.config.INVALID.create(
    "orchestrator.maxSessions 'auto' follows transcode capacity: load a transcode backend plugin (transcode-ffmpeg, -nvenc, -netint, or transcode-remote for go-livepeer remote transcoders)",
    { details: { key: 'orchestrator.maxSessions' } },
  );
}

export function assertGatewayCapabilityIds(ids: readonly string[]): void {
  const invalid = ids.find((id) => !isCapabilityId(id));
  if (invalid !== undefined) throw errors.config.INVALID.create(`gateway.capabilities: "${invalid}" is not a capability id (<domain>/<name>, lowercase)`);
}

export function webhookSpanTooLong(webhooks: { attempts: number; backoffMs: number; timeoutMs: number }, spanMs: number): Error {
  return errors.config.INVALID.create(`gateway.webhooks: ${webhooks.attempts} attempts with backoffMs ${webhooks.backoffMs} and timeoutMs ${webhooks.timeoutMs} can take ${Math.round(spanMs / 3_600_000)} h; keep it within 24 h`);
}

export function unknownSelection(name: string, have: readonly string[]): Error {
  return errors.config.INVALID.create(`gateway.selection names "${name}", but no plugin contributes it (have: ${have.join(', ') || 'none'})`);
}

export function unknownContainerRuntime(runtime: string, added: readonly string[]): Error {
  return errors.containers.RUNTIME_UNKNOWN.create(`containers.runtime is "${runtime}" but no loaded plugin adds it (added: ${added.join(', ') || 'none'})`, { details: { runtime, added: [...added] } });
}
