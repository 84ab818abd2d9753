import { runsOnCompiledMirror } from '../boot/compiled-mirror.js';

/**
 * `import()` of a plugin's entry module. Under the compiled JS mirror (ADR 0063) no TypeScript
 * loader is registered, so a plugin whose entry is `.ts` (a local path, an external package) needs
 * tsx's loader: it is registered then — once, only for such a plugin — before the import. (Catching
 * ERR_UNKNOWN_FILE_EXTENSION and retrying does not work: Node caches the failed module.)
 */
let typeScriptLoader: Promise<void> | undefined;

export async function importPluginModule(specifier: string): Promise<Record<string, unknown>> {
  if (runsOnCompiledMirror() && isTypeScript(specifier)) {
    typeScriptLoader ??= import('tsx/esm/api').then(({ register }) => {
      register();
    });
    await typeScriptLoader;
  }
  return (await import(specifier)) as Record<string, unknown>;
}

/** Resolved as the import below resolves it (same folder); unresolvable specifiers fail in the import itself. */
function isTypeScript(specifier: string): boolean {
  try {
    return /\.[cm]?tsx?$/.test(new URL(import.meta.resolve(specifier)).pathname);
  } catch {
    return false;
  }
}
