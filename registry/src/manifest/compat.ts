import semver from 'semver';
import { errors, HOST_API_VERSION, type PluginManifest } from '@lpx/sdk';

/**
 * Fails when this host's API version is outside the plugin's `host` range.
 * Prereleases never satisfy a plain range (`^1.0.0` does not admit
 * `1.1.0-rc.1`): a plugin must opt into an unreleased host explicitly.
 */
export function checkHostCompatibility(manifest: Pick<PluginManifest, 'id' | 'version' | 'host'>, hostVersion: string = HOST_API_VERSION): void {
  if (semver.satisfies(hostVersion, manifest.host, { includePrerelease: false })) return;
  throw errors.plugin.HOST_RANGE.create(
    `plugin "${manifest.id}"@${manifest.version} requires host API "${manifest.host}", but this host provides ${hostVersion}`,
    { details: { plugin: manifest.id, version: manifest.version, range: manifest.host, hostVersion } },
  );
}
