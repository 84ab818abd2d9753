import { createExtensionPoint } from '../refs/extension-point.js';
import type { ByocAppSpec } from '../byoc/app-spec.js';

/**
 * BYOC partner apps. A partner's plugin contributes its app (the manifest's
 * `byoc` section, plus optional hooks) here; the hosting plugin
 * (`byoc-host`) owns the point and runs each app through the container
 * runtime or proxies to its external URL, registers the `byoc/<name>`
 * capability with its price, and serves it over the legacy BYOC wire and as
 * a Live Runner app.
 */
export interface ByocAppHooks {
  /**
   * Checks a request body before any work is admitted or paid; throw an
   * `errors.byoc.INPUT_INVALID` naming the field. Runs after the manifest's
   * `inputSchema` check.
   */
  validate?(body: unknown): void | Promise<void>;
}

export interface ByocAppContribution {
  /** The contributing plugin (its id, for labels, metrics and `lpx plugins list`). */
  readonly pluginId: string;
  /** Its version: a hosted container is replaced when the version changes. */
  readonly pluginVersion: string;
  readonly spec: ByocAppSpec;
  /** Absolute path of the plugin's package folder: `spec.container.archive` is resolved against it. */
  readonly packageDir: string;
  readonly hooks?: ByocAppHooks;
}

export interface ByocAppsExtensionPoint {
  /** Adds an app; a second app with the same name is refused (errors.byoc.APP_INVALID). */
  addApp(app: ByocAppContribution): void;
}

/** Owned by the hosting plugin (`byoc-host`); partner plugins require it. */
export const byocAppsExtensionPoint = createExtensionPoint<ByocAppsExtensionPoint>({ id: 'byoc.apps' });
