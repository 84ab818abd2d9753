import type { Permission, PluginManifest } from '@lpx/sdk';
import { hostGranted, imageGranted } from './grant-patterns.js';
import { describeFound, type ManifestIssue } from './issues.js';

/**
 * A manifest must not ask for more than it declares (docs/adr/0036-permissions-enforced.md):
 * a grant widens a declared permission, never stands alone, and a BYOC app's
 * container, GPUs and external host need the permissions the kernel will
 * check when it runs them. Everything is reported at once, by path.
 */
export function permissionIssues(manifest: PluginManifest): ManifestIssue[] {
  return [...grantIssues(manifest), ...byocIssues(manifest)];
}

const needs = (permission: Permission): string => `the "${permission}" permission in /permissions`;

function grantIssues(manifest: PluginManifest): ManifestIssue[] {
  const declared = new Set<string>(manifest.permissions ?? []);
  return Object.keys(manifest.grants ?? {})
    .filter((key) => !declared.has(key))
    .map((key) => ({ path: `/grants/${key}`, expected: `${needs(key as Permission)} (a grant widens a declared permission)`, found: `a grant for undeclared permission "${key}"` }));
}

function byocIssues(manifest: PluginManifest): ManifestIssue[] {
  const app = manifest.byoc;
  if (app === undefined) return [];
  const declared = new Set<string>(manifest.permissions ?? []);
  const grants = manifest.grants ?? {};
  const issues: ManifestIssue[] = [];
  if ((app.container === undefined) === (app.external === undefined)) {
    issues.push({ path: '/byoc', expected: 'exactly one of "container" and "external"', found: app.container === undefined ? 'neither' : 'both' });
  }
  if (app.container !== undefined) {
    if (!declared.has('docker')) issues.push({ path: '/byoc/container', expected: `${needs('docker')} (the node runs this container)`, found: 'a container without it' });
    const images = grants.docker?.images;
    if (images !== undefined && !imageGranted(images, app.container.image)) {
      issues.push({ path: '/byoc/container/image', expected: `an image matching /grants/docker/images (${images.join(', ')})`, found: describeFound(app.container.image) });
    }
  }
  const gpus = app.resources?.gpu ?? 0;
  if (gpus > 0) {
    if (!declared.has('gpu')) issues.push({ path: '/byoc/resources/gpu', expected: `${needs('gpu')} for ${gpus} GPU(s)`, found: describeFound(gpus) });
    else if (grants.gpu !== undefined && gpus > grants.gpu.max) issues.push({ path: '/byoc/resources/gpu', expected: `at most /grants/gpu/max = ${grants.gpu.max}`, found: describeFound(gpus) });
  }
  const memory = app.resources?.memoryBytes;
  const maxMemory = grants.docker?.maxMemoryBytes;
  if (memory !== undefined && maxMemory !== undefined && memory > maxMemory) {
    issues.push({ path: '/byoc/resources/memoryBytes', expected: `at most /grants/docker/maxMemoryBytes = ${maxMemory}`, found: describeFound(memory) });
  }
  if (app.external !== undefined) {
    if (!declared.has('network')) issues.push({ path: '/byoc/external', expected: `${needs('network')} (the node proxies to this URL)`, found: 'an external app without it' });
    else if (!hostGranted(grants.network?.hosts ?? [], new URL(app.external.url))) {
      issues.push({ path: '/byoc/external/url', expected: 'a host covered by /grants/network/hosts (no grant allows no host)', found: describeFound(app.external.url) });
    }
  }
  return issues;
}
