// Writes docs/errors.md from the sdk's error catalogue: node --import tsx scripts/generate-error-docs.ts
import { writeFileSync } from 'node:fs';
import { errors } from '../sdk/src/index.js';
import type { ErrorCode } from '../sdk/src/index.js';

const lines = [
  '# Error codes',
  '',
  'Every error lpx raises on purpose carries one of these codes (`error.code`, the `code` field of',
  'problem+json bodies, and the first word after `error` in CLI output). Codes are stable: they are',
  'never renamed or reused. Generated from `sdk/src/errors/`; regenerate with',
  '`node --import tsx scripts/generate-error-docs.ts`.',
  '',
];
for (const [area, codes] of Object.entries(errors)) {
  lines.push(`## ${area}`, '', '| code | HTTP | meaning |', '| --- | --- | --- |');
  for (const code of Object.values(codes) as ErrorCode[]) lines.push(`| \`${code.code}\` | ${code.status} | ${code.description} |`);
  lines.push('');
}
writeFileSync(new URL('../docs/errors.md', import.meta.url), lines.join('\n'));
