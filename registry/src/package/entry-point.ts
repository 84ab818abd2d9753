import { posix } from 'node:path';

/** Conditions tried in order: the kernel loads plugins with `import()` under Node. */
const CONDITIONS = ['import', 'node', 'default'] as const;

function fromTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const found = fromTarget(candidate);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    const conditions = target as Record<string, unknown>;
    for (const condition of CONDITIONS) {
      const found = fromTarget(conditions[condition]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** `exports` is either the `.` target itself or a map of subpaths (keys starting with `.`). */
function fromExports(exportsField: unknown): string | undefined {
  if (typeof exportsField === 'object' && exportsField !== null && !Array.isArray(exportsField)) {
    const map = exportsField as Record<string, unknown>;
    if (Object.keys(map).some((key) => key.startsWith('.'))) return fromTarget(map['.']);
  }
  return fromTarget(exportsField);
}

/**
 * The module the kernel imports, relative to the package root, following the
 * `exports` (preferred, as Node does) or `main` field of package.json. Returns
 * undefined when neither names a file inside the package. No extension
 * guessing: ESM `import()` takes exact paths, so the field must too.
 */
export function entryModulePath(packageJson: Record<string, unknown>): string | undefined {
  const target = packageJson['exports'] !== undefined ? fromExports(packageJson['exports']) : fromTarget(packageJson['main']);
  if (target === undefined || target === '') return undefined;
  const relative = posix.normalize(target.replace(/^\.\//, ''));
  if (relative.startsWith('/') || relative === '..' || relative.startsWith('../') || relative === '.') return undefined;
  return relative;
}
