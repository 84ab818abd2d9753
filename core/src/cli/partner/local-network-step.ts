/**
 * The `lpx plugin test` step that needs the rest of the BYOC work: boot the
 * plugin on a local network — a registry serving it (`lpx registry serve`),
 * an orchestrator hosting it (byoc-host), a gateway — and send one paid job
 * through the gateway. Until those parts are merged the step reports itself
 * as skipped, saying why; the wiring replaces `pendingLocalNetworkStep` as
 * the default in plugin-test.ts (see docs/adr/0042-partner-toolchain.md).
 */
import type { PluginManifest } from '@lpx/sdk';
import type { NodeRuntimeOptions } from '../node-runtime.js';
import type { PluginTestStep } from './plugin-test.js';

export interface LocalNetworkContext {
  /** The partner's project folder. */
  readonly dir: string;
  readonly manifest: PluginManifest;
  /** Which engine the test used (the network's orchestrator should host the app on the same one). */
  readonly node: NodeRuntimeOptions;
}

export type LocalNetworkStep = (context: LocalNetworkContext) => Promise<PluginTestStep>;

export const LOCAL_NETWORK_STEP_NAME = 'local network: one paid job through gateway and orchestrator';

export const pendingLocalNetworkStep: LocalNetworkStep = async () => ({
  name: LOCAL_NETWORK_STEP_NAME,
  status: 'skipped',
  detail: 'not wired yet: needs the BYOC host plugin and lpx registry serve',
});
