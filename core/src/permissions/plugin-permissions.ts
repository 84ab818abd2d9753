/**
 * What one plugin may reach for through the kernel: its manifest's
 * `permissions` and `grants`, plus what the operator granted on top in
 * `plugins.<id>.grants` (docs/adr/0036-permissions-enforced.md). Every
 * refusal is LPX_ERR_PLUGIN_PERMISSION_DENIED naming the permission and the
 * grant that would allow it.
 */
import { errors, type LpxError, type Permission, type PermissionGrants, type PluginManifest } from '@lpx/sdk';

export interface DenyOptions {
  /** The grant (JSON path in the manifest) that would allow it, when declaring the permission is not enough. */
  readonly grant?: string;
  readonly details?: Record<string, unknown>;
}

export class PluginPermissions {
  readonly pluginId: string;
  readonly declared: ReadonlySet<Permission>;
  readonly grants: PermissionGrants;

  constructor(manifest: Pick<PluginManifest, 'id' | 'permissions' | 'grants'>, operatorGrants?: PermissionGrants) {
    this.pluginId = manifest.id;
    this.declared = new Set(manifest.permissions ?? []);
    this.grants = mergeGrants(manifest.grants ?? {}, operatorGrants ?? {});
  }

  has(permission: Permission): boolean {
    return this.declared.has(permission);
  }

  /** The refusal for `what` (a phrase: "create containers", "reach example.com:443"). */
  deny(permission: Permission, what: string, options: DenyOptions = {}): LpxError {
    const how = options.grant === undefined || !this.has(permission)
      ? `its manifest does not declare the "${permission}" permission${options.grant === undefined ? '' : ` (and ${options.grant} must allow it)`}`
      : `it declares "${permission}" but ${options.grant} does not allow it`;
    return errors.plugin.PERMISSION_DENIED.create(`plugin ${this.pluginId} may not ${what}: ${how}`, {
      details: { plugin: this.pluginId, permission, ...(options.grant !== undefined ? { grant: options.grant } : {}), ...options.details },
    });
  }

  /** Throws the refusal unless `permission` is declared. */
  require(permission: Permission, what: string, options: DenyOptions = {}): void {
    if (!this.has(permission)) throw this.deny(permission, what, options);
  }
}

/**
 * The operator adds to lists (hosts, paths, images: an image list the
 * manifest leaves open stays open) and replaces limits; it cannot add a
 * permission the manifest does not declare (the kernel checks `has` first),
 * so a plugin's reach stays reviewable in its manifest.
 */
function mergeGrants(manifest: PermissionGrants, operator: PermissionGrants): PermissionGrants {
  const union = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] => [...new Set([...(a ?? []), ...(b ?? [])])];
  const docker = operator.docker === undefined ? manifest.docker : { ...manifest.docker, ...operator.docker };
  const images = manifest.docker?.images === undefined ? undefined : union(manifest.docker.images, operator.docker?.images);
  return {
    ...manifest,
    ...(docker !== undefined ? { docker: { ...withoutImages(docker), ...(images !== undefined ? { images } : {}) } } : {}),
    ...(operator.gpu !== undefined ? { gpu: operator.gpu } : {}),
    ...(operator.network !== undefined ? { network: { hosts: union(manifest.network?.hosts, operator.network.hosts) } } : {}),
    ...(operator.fs !== undefined ? { fs: { paths: [...(manifest.fs?.paths ?? []), ...operator.fs.paths] } } : {}),
    ...(operator.spend !== undefined ? { spend: operator.spend } : {}),
  };
}

function withoutImages(docker: NonNullable<PermissionGrants['docker']>): Omit<NonNullable<PermissionGrants['docker']>, 'images'> {
  const { images: _images, ...rest } = docker;
  return rest;
}
