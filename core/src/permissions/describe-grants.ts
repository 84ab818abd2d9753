/**
 * A plugin's permissions in one short cell for `lpx plugins list`:
 * `docker(images:2,max:4), network(api.example.com), spend(≤1000 wei/job)`.
 * The full grants are in `--json`.
 */
import type { Permission, PermissionGrants } from '@lpx/sdk';

const MAX_LISTED = 2;

function listed(items: readonly string[]): string {
  return items.length <= MAX_LISTED ? items.join(' ') : `${items.length} entries`;
}

function detail(permission: Permission, grants: PermissionGrants): string | undefined {
  switch (permission) {
    case 'docker': {
      const docker = grants.docker;
      if (docker === undefined) return undefined;
      const parts = [
        ...(docker.images !== undefined ? [`images:${listed(docker.images)}`] : []),
        ...(docker.maxContainers !== undefined ? [`max:${docker.maxContainers}`] : []),
        ...(docker.maxMemoryBytes !== undefined ? [`mem:${docker.maxMemoryBytes}`] : []),
      ];
      return parts.length === 0 ? undefined : parts.join(',');
    }
    case 'gpu':
      return grants.gpu === undefined ? undefined : `≤${grants.gpu.max}`;
    case 'network':
      return grants.network === undefined ? 'no hosts' : listed(grants.network.hosts);
    case 'fs':
      return grants.fs === undefined ? 'no paths' : listed(grants.fs.paths.map((p) => `${p.path}:${p.access}`));
    case 'spend':
      return grants.spend === undefined ? undefined : `≤${grants.spend.maxPerJobWei} wei/job`;
    default:
      return undefined;
  }
}

export function describePermissions(permissions: readonly Permission[], grants: PermissionGrants): string {
  if (permissions.length === 0) return '-';
  return permissions.map((permission) => {
    const more = detail(permission, grants);
    return more === undefined ? permission : `${permission}(${more})`;
  }).join(', ');
}
