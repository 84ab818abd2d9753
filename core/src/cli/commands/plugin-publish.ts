import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { appendRecord, assertSignaturesVerify, checkSignatureList, packPluginFolder, publishToHttpRegistry, readPrivateKeyFile, RECORD_FILES, releaseSignature, storeRelease } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { isRegistryUrl, REGISTRY_TOKEN_ENV, registryToken } from './registry-token.js';

interface PublishOptions {
  registry: string;
  tokenFile?: string;
  signatures?: string;
  key?: string;
  json?: boolean;
}


async function readSignatures(file: string | undefined): Promise<ReturnType<typeof checkSignatureList>> {
  if (file === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw errors.registry.SIGNATURE_INVALID.create(`cannot read signatures from ${file}: ${(error as Error).message}`, { cause: error });
  }
  return checkSignatureList(parsed, file);
}

async function publish(pluginDir: string, options: PublishOptions) {
  const packed = await packPluginFolder(resolve(pluginDir));
  const signatures = await readSignatures(options.signatures);
  // Signed here, before the upload: the registry stores the signature with the release, and no key leaves this machine.
  if (options.key !== undefined) {
    const key = await readPrivateKeyFile(options.key);
    signatures.push(releaseSignature({ id: packed.manifest.id, version: packed.manifest.version, integrity: packed.integrity, manifest: packed.manifest }, key));
  }
  // Before anything is stored: a signature that does not verify would make every node refuse this release, for good.
  assertSignaturesVerify({ id: packed.manifest.id, version: packed.manifest.version, integrity: packed.integrity, manifest: packed.manifest }, signatures);
  if (isRegistryUrl(options.registry)) {
    const result = await publishToHttpRegistry(options.registry, packed, { token: await registryToken(options.tokenFile, options.registry, 'publishing to'), signatures });
    return { ...result, registry: options.registry };
  }
  const root = resolve(options.registry);
  const { entry, status } = await storeRelease(root, packed);
  for (const signature of signatures) await appendRecord(join(entry.dir, RECORD_FILES.signatures), signature);
  return { id: entry.id, version: entry.version, integrity: entry.integrity, status, registry: root };
}

/** `lpx plugin publish <plugin-dir> --registry <dir-or-url>`: a local registry folder, or an HTTP registry (PUT with a bearer token). */
export function addPluginPublishCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('publish <plugin-dir>')
    .description('pack a plugin folder and publish it to a registry: a local folder or the URL of an `lpx registry serve`')
    .requiredOption('--registry <dir-or-url>', 'registry folder, or http(s) URL of an HTTP registry')
    .option('--token-file <file>', `file holding the publish token (HTTP registries; default: $${REGISTRY_TOKEN_ENV})`)
    .option('--signatures <file>', 'a JSON array of release signatures to publish with it')
    .option('--key <file>', 'sign the release with this publisher key (lpx plugin keygen) and publish the signature with it')
    .option('--json', 'print JSON')
    .action(async (pluginDir: string, options: PublishOptions) => {
      try {
        const result = await publish(pluginDir, options);
        if (options.json) io.out(JSON.stringify({ ok: true, ...result }));
        else io.out(`${result.status === 'published' ? 'published' : 'already published (same content)'} ${result.id}@${result.version} to ${result.registry}\nintegrity ${result.integrity}`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
