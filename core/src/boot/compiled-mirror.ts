/**
 * Whether this process runs the compiled JS mirror (ADR 0063): under the "lpx-js" export
 * condition `@lpx/sdk` resolves into `.lpx-js/`; under tsx (the tests, `node core/bin/lpx.mjs`)
 * it resolves to the TypeScript source.
 */
export function runsOnCompiledMirror(): boolean {
  return import.meta.resolve('@lpx/sdk').includes('/.lpx-js/');
}

/**
 * Node flags for an `lpx` child process (`dev up` nodes): the same way of running as this one.
 * The child's launcher checks the mirror's freshness itself; a tsx parent — a test, whose V8
 * coverage must land on the TypeScript sources — gets a tsx child.
 */
export function lpxNodeArgs(): string[] {
  return runsOnCompiledMirror() ? ['--conditions=lpx-js'] : [];
}
