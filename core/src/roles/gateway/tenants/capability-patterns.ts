/**
 * A tenant's `capabilities` entries: exact ids (`byoc/echo`) or patterns where
 * `*` stands for any run of characters (`byoc/*`, `*`). Exact ids also tell
 * the gateway which capabilities it serves before discovery finds them.
 */
export function isPattern(entry: string): boolean {
  return entry.includes('*');
}

function toRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export function capabilityMatcher(entries: readonly string[]): (capabilityId: string) => boolean {
  const exact = new Set(entries.filter((e) => !isPattern(e)));
  const patterns = entries.filter(isPattern).map(toRegExp);
  return (capabilityId) => exact.has(capabilityId) || patterns.some((p) => p.test(capabilityId));
}
