/**
 * Every refusal `lpx start` makes because of what the config says, checked
 * without starting anything. `Host.start` runs it right after the plugins are
 * prepared and `lpx config check` runs the same function, so the two cannot
 * disagree (ADR 0059). Each check throws the coded error the boot step that
 * needs the setting would throw.
 */
import { isServiceRef, selectionAlgorithmsExtensionPoint, containerRuntimesExtensionPoint, transcodeBackendsExtensionPoint, coreServices, type LoggerService } from '@lpx/sdk';
import { chainErrors } from '../chain/chain-errors.js';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load-config.js';
import type { PreparedPlugins } from './prepare-plugins.js';
import { assertGatewayCapabilityIds, autoSessionsNeedTranscode, redeemerNeedsChain, unknownContainerRuntime, unknownSelection, webhookSpanTooLong } from '../config/start-refusals.js';

export interface StartCheckOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly warn?: (message: string) => void;
}

export async function checkStartable(loaded: LoadedConfig, prepared: PreparedPlugins, options: StartCheckOptions = {}): Promise<void> {
  const { config } = loaded;
  const env = options.env ?? process.env;
  const roles = new Set(config.node.roles);
  const networked = roles.has('gateway') || roles.has('orchestrator') || roles.has('redeemer');

  if (roles.has('redeemer') && !roles.has('orchestrator') && config.chain === undefined) {
    throw redeemerNeedsChain();
  }
  if (networked && config.chain !== undefined && config.chain.privateKey === undefined && config.chain.keystore === undefined && !env['LPX_ETH_KEY'] && !env['LPX_ETH_KEYSTORE']) {
    throw chainErrors.KEY_MISSING.create('no Ethereum key: set chain.privateKey or chain.keystore, or LPX_ETH_KEY or LPX_ETH_KEYSTORE (with LPX_ETH_PASSWORD)');
  }

  if (roles.has('orchestrator') && config.orchestrator.maxSessions === 'auto' && !declaresTranscode(prepared)) {
    throw autoSessionsNeedTranscode();
  }

  if (roles.has('gateway')) {
    // The gateway's own checks, imported only for a gateway (they pull in BullMQ).
    const [{ checkOpenGateway }, { TenantDirectory }, { WebhookEgressPolicy }, { deliverySpanMs, MAX_DELIVERY_SPAN_MS }] = await Promise.all([
      import('../roles/gateway/tenants/open-gateway.js'),
      import('../roles/gateway/tenants/tenant-directory.js'),
      import('../roles/gateway/webhooks/egress-policy.js'),
      import('../roles/gateway/webhooks/webhook-deliveries.js'),
    ]);
    assertGatewayCapabilityIds(config.gateway.capabilities);
    checkOpenGateway({ open: new TenantDirectory(config.gateway.tenants).open, httpEnabled: config.http.enabled, httpHost: config.http.host, warn: options.warn ?? (() => {}) });
    const webhooks = config.gateway.webhooks;
    new WebhookEgressPolicy({ allowCidrs: webhooks.allowCidrs });
    const span = deliverySpanMs(webhooks);
    if (span > MAX_DELIVERY_SPAN_MS) throw webhookSpanTooLong(webhooks, span);
    const selection = config.gateway.selection;
    if (selection !== undefined) {
      const names = await contributedNames(loaded, prepared, selectionAlgorithmsExtensionPoint.id, 'addAlgorithm');
      if (names !== undefined && !names.includes(selection)) throw unknownSelection(selection, names);
    }
  }

  const runtime = config.containers.runtime;
  if (runtime !== undefined) {
    const names = await contributedNames(loaded, prepared, containerRuntimesExtensionPoint.id, 'addRuntime');
    if (names !== undefined && !names.includes(runtime)) throw unknownContainerRuntime(runtime, names);
  }
}

/** The kernel provides video/transcode when a plugin adds transcode backends and none declares the capability itself. */
function declaresTranscode(prepared: PreparedPlugins): boolean {
  const manifests = [...prepared.byId.values()].map((p) => p.definition.manifest);
  const wanted = manifests.some((m) => m.requires?.extensionPoints?.includes(transcodeBackendsExtensionPoint.id));
  const byPlugin = manifests.some((m) => (m.capabilities ?? []).some((c) => c.id === 'video/transcode'));
  return wanted && !byPlugin;
}

const DECLARATION_DEPS = new Set([coreServices.config.id, coreServices.logger.id]);

/**
 * The names plugins add to one extension point, learnt by running the inits
 * of the plugins that use it with a recording stand-in. Only inits whose
 * other deps are the plugin's config and logger run (those can do nothing
 * but declare); if any contributor needs more, the names cannot be known
 * before boot and undefined leaves the check to `lpx start`.
 */
async function contributedNames(loaded: LoadedConfig, prepared: PreparedPlugins, pointId: string, method: string): Promise<string[] | undefined> {
  const names: string[] = [];
  for (const plugin of prepared.byId.values()) {
    const deps = Object.entries(plugin.init.deps);
    if (!deps.some(([, ref]) => !isServiceRef(ref) && ref.id === pointId)) continue;
    if (deps.some(([, ref]) => (isServiceRef(ref) ? !DECLARATION_DEPS.has(ref.id) : ref.id !== pointId))) return undefined;
    const values: Record<string, unknown> = {};
    for (const [name, ref] of deps) {
      if (!isServiceRef(ref)) values[name] = { [method]: (item: { name: string }) => names.push(item.name) };
      else if (ref.id === coreServices.config.id) values[name] = { get: () => plugin.config, dataDir: resolve(loaded.baseDir, loaded.config.node.dataDir), roles: loaded.config.node.roles };
      else values[name] = silentLogger;
    }
    await plugin.init.init(values as never);
  }
  return names;
}

const noop = () => {};
const silentLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => silentLogger } as unknown as LoggerService;
