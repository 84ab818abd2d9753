// tap's `before` script (.taprc): makes sure the reference AI runner's Debian
// root filesystem tarball is cached (debootstrap takes minutes the first
// time, more than one test file's timeout), so tests that need the runner
// image only import and build it. Cached: a file check. Never fails the run:
// without the tarball the image tests fail with the reason.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = Date.now();
const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build-reference-runner-image.ts'), '--rootfs'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (result.status === 0) {
  const made = /"builtMs"/.test(result.stdout);
  if (made) process.stderr.write(`[before] reference runner rootfs built in ${seconds} s: ${result.stdout.trim()}\n`);
} else {
  process.stderr.write(`[before] WARNING: the reference runner rootfs could not be made (${seconds} s); tests of the runner image will fail\n`);
}
