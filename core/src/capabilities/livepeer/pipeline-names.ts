import { LIVEPEER_CAPABILITIES } from './capability-enum.js';

/**
 * go-livepeer's `PipelineToCapability`: upper-case the first character, turn
 * every `-` into a space, then require an exact match against the display
 * names. Faithful quirks: `byoc` never resolves (its name is lower-case) and
 * non-AI names do (`h.264` → 0). We only search ids 0..37, so `invalid` and
 * `unused` (Go's −2/−1) do not resolve either — nothing should route to them.
 */
export function pipelineToLivepeerCapability(pipeline: string): number | undefined {
  if (pipeline === '') return undefined;
  const wanted = pipeline.charAt(0).toUpperCase() + pipeline.slice(1).replaceAll('-', ' ');
  return LIVEPEER_CAPABILITIES.find((info) => info.name === wanted)?.id;
}

/** go-livepeer's `capabilityToPipeline` (remote discovery): lower-case, spaces → dashes. */
export function livepeerCapabilityToPipeline(id: number): string | undefined {
  const name = Number.isInteger(id) ? LIVEPEER_CAPABILITIES[id]?.name : undefined;
  return name ? name.replaceAll(' ', '-').toLowerCase() : undefined;
}
