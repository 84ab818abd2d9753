import { resolve } from 'node:path';
import semver from 'semver';
import { errors } from '@lpx/sdk';
import { readEntry, resolvePlugin, type RegistryEntry, type ReleaseReport } from '@lpx/registry';

/** `<id>@<version>` (or a range, or just `<id>` for the newest) as the `lpx plugin` verbs take it. */
export function splitReleaseSpec(spec: string): { id: string; range: string } {
  const at = spec.indexOf('@', 1);
  return at === -1 ? { id: spec, range: '*' } : { id: spec.slice(0, at), range: spec.slice(at + 1) };
}

/** A release spec (see splitReleaseSpec) read from a registry folder. */
export async function releaseEntry(registryDir: string, spec: string): Promise<RegistryEntry> {
  const { id, range: version } = splitReleaseSpec(spec);
  const root = resolve(registryDir);
  if (semver.valid(version) === version) return readEntry(root, id, version);
  if (semver.validRange(version) === null) throw errors.registry.ENTRY_MISSING.create(`"${spec}" is not <id>@<version>`);
  return resolvePlugin(root, id, version);
}

/** Shared by verify, info and list: who signed, how it is reviewed, what the policy says. */
export function reportLines(report: ReleaseReport): string[] {
  const lines = [`${report.id}@${report.version}  ${report.integrity}`];
  if (report.signatures.length === 0) lines.push('  signatures: none (unsigned)');
  for (const s of report.signatures) {
    const notes = [s.valid ? 'valid' : 'INVALID', ...(s.revokedKey ? ['key revoked'] : [])].join(', ');
    lines.push(`  signed by ${s.keyId}${s.name ? ` (${s.name})` : ''}: ${notes}`);
  }
  lines.push(`  review: ${report.state}${report.stateBy ? ` by ${report.stateBy}` : ''}${report.stateReason ? ` (${report.stateReason})` : ''}`);
  if (report.content?.ok === true) {
    lines.push(`  content: tarball integrity ok${report.content.image ? `; image ${report.content.image.ref} ${report.content.image.actual} matches (${report.content.image.layers} layer(s))` : ''}`);
  } else if (report.content?.ok === false) {
    lines.push(`  content: ${report.content.refusal.code}: ${report.content.refusal.message}`);
  }
  lines.push(report.verdict.ok ? `  verdict: accepted${report.verdict.signedBy.length > 0 ? ` (trusted signer: ${report.verdict.signedBy.join(', ')})` : ''}` : `  verdict: ${report.verdict.refusal.code}: ${report.verdict.refusal.message}`);
  return lines;
}
