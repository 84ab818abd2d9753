// npm run build:image — builds the app's image with the docker CLI (DOCKER_HOST
// is honoured), saves it to the archive the manifest names and pins the
// image's id in plugin.manifest.json. The node that hosts the app loads the
// archive and refuses any image whose id differs from the pinned digest.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifestPath = join(root, 'plugin.manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const { image, archive } = manifest.byoc.container;

const docker = (...args) => execFileSync('docker', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

process.stdout.write(docker('build', '-t', image, 'container'));
mkdirSync(dirname(join(root, archive)), { recursive: true });
docker('save', '-o', join(root, archive), image);
const digest = docker('image', 'inspect', '--format', '{{.Id}}', image).trim();
if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`docker image inspect ${image} gave an id that is not a sha256 digest: ${digest}`);

manifest.byoc.container.digest = digest;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${image} is ${digest}; saved to ${archive} and pinned in plugin.manifest.json`);
