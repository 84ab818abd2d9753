/**
 * The lpx nodes a bench starts (`startDevNetwork`, `startNodeProcess`) run
 * as an operator's `lpx` does: on the compiled JS mirror (ADR 0063), not
 * through tsx as a test's children do (their coverage must land on the
 * TypeScript sources). tsx's loader and source maps cost the nodes CPU the
 * product does not spend. `LPX_DEV_NODE_ARGS` flags set by the caller
 * (profiling) are kept. Call before starting the nodes.
 */
export function runNodesCompiled(): void {
  const flags = (process.env['LPX_DEV_NODE_ARGS'] ?? '').split(/\s+/).filter((flag) => flag !== '');
  if (!flags.includes('--conditions=lpx-js')) process.env['LPX_DEV_NODE_ARGS'] = ['--conditions=lpx-js', ...flags].join(' ');
}
