/**
 * Capability ids are `<domain>/<name>`: lowercase, digits, `-`, `.`, `_`, one
 * slash, and never `:` — BullMQ uses `:` as its key separator and rejects it in
 * queue names, and the id becomes a queue name.
 */
export const CAPABILITY_ID_PATTERN = '^[a-z][a-z0-9-]*/[a-z0-9][a-z0-9._-]*$';
const capabilityIdRegex = new RegExp(CAPABILITY_ID_PATTERN);

export function isCapabilityId(value: string): boolean {
  return capabilityIdRegex.test(value);
}

/** `video/transcode` + major 1 → `cap.video.transcode.v1`. */
export function queueNameFor(capabilityId: string, majorVersion = 1): string {
  return `cap.${capabilityId.replace(/[/]/g, '.')}.v${majorVersion}`;
}
