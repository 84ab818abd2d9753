/**
 * Refusals that need no plugin code to run, made in prepare (so `lpx config
 * check` reports them): a plugin whose init or service factories take
 * coreServices.containers without `docker`, or coreServices.egress without
 * `network`, and operator grants for a permission the manifest does not
 * declare (docs/adr/0036-permissions-enforced.md).
 */
import { coreServices, errors, isServiceRef, type Permission, type PermissionGrants } from '@lpx/sdk';
import type { RegisteredPlugin } from '../plugins/registration.js';
import { PluginPermissions } from './plugin-permissions.js';

const SERVICE_PERMISSIONS: ReadonlyMap<string, { readonly permission: Permission; readonly what: string }> = new Map([
  [coreServices.containers.id, { permission: 'docker', what: 'use coreServices.containers' }],
  [coreServices.egress.id, { permission: 'network', what: 'use coreServices.egress' }],
]);

export function checkPluginPermissions(plugin: RegisteredPlugin, operatorGrants: PermissionGrants | undefined): void {
  const { manifest } = plugin.definition;
  const permissions = new PluginPermissions(manifest);
  for (const key of Object.keys(operatorGrants ?? {}) as Permission[]) {
    if (!permissions.has(key)) {
      throw errors.plugin.PERMISSION_DENIED.create(`plugins.${manifest.id}.grants.${key}: the operator grants "${key}", but plugin ${manifest.id} does not declare the "${key}" permission in its manifest (grants only widen declared permissions)`, {
        details: { plugin: manifest.id, permission: key, grant: `plugins.${manifest.id}.grants.${key}` },
      });
    }
  }
  const deps = [...Object.entries(plugin.init.deps).map(([name, ref]) => ({ name, ref, where: 'init dep' })), ...[...plugin.services].flatMap(([id, { service }]) => Object.entries(service.deps ?? {}).map(([name, ref]) => ({ name, ref, where: `service ${id} factory dep` })))];
  for (const { name, ref, where } of deps) {
    const needed = isServiceRef(ref) ? SERVICE_PERMISSIONS.get(ref.id) : undefined;
    if (needed !== undefined && !permissions.has(needed.permission)) {
      throw permissions.deny(needed.permission, `${needed.what} (${where} "${name}")`, { details: { service: ref.id } });
    }
  }
}
