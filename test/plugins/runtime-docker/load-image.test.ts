// runtime-docker's `load` image source (a `docker save` archive, what BYOC
// plugins ship): the image comes back with its id, and an archive that is
// missing, not an archive, or lacks the tag asked for is a coded refusal.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { createDockerRuntime } from '../../../plugins/runtime-docker/src/index.js';
import { makeBusyboxRootfs } from '../../../sdk/src/testing/containers/busybox-rootfs.js';
import { testDocker } from '../../helpers/docker.js';

const exec = promisify(execFile);

t.test('ensureImage loads a docker save archive and refuses bad ones', async (t) => {
  const { dockerHost } = await testDocker(t);
  const docker = (...args: string[]) => exec('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost } });
  const runtime = createDockerRuntime({ host: dockerHost, dataDir: t.testdir() });
  t.teardown(() => runtime.close());
  await runtime.probe(AbortSignal.timeout(60_000));
  const rootfs = await makeBusyboxRootfs({ workDir: t.testdir() });
  const source = await runtime.ensureImage({ ref: `lpx-test/busybox:${rootfs.digest}`, source: { kind: 'import', tarPath: rootfs.tarPath } });

  const ref = `lpx-test/load-${process.pid}:1`;
  const dir = t.testdir();
  const archive = join(dir, 'app.tar');
  await docker('tag', source.ref, ref);
  await docker('save', '-o', archive, ref);
  await runtime.removeImage(ref);
  t.teardown(() => runtime.removeImage(ref));
  t.equal(await runtime.inspectImage(ref), undefined);

  const loaded = await runtime.ensureImage({ ref, source: { kind: 'load', tarPath: archive } });
  t.equal(loaded.id, source.id, 'the loaded image is the saved one, by id');
  t.equal((await runtime.inspectImage(ref))?.id, source.id);

  const missing = join(dir, 'nope.tar');
  await t.rejects(runtime.ensureImage({ ref: `lpx-test/absent-${process.pid}:1`, source: { kind: 'load', tarPath: missing } }), { code: errors.containers.IMAGE_NOT_FOUND.code, message: /image archive .*nope\.tar does not exist/ });
  const other = `lpx-test/other-${process.pid}:1`;
  await t.rejects(runtime.ensureImage({ ref: other, source: { kind: 'load', tarPath: archive } }), { code: errors.containers.IMAGE_BUILD_FAILED.code, message: new RegExp(`loaded but holds no image tagged ${other}`) });
  const junk = join(dir, 'junk.tar');
  await writeFile(junk, 'not a tar archive');
  await t.rejects(runtime.ensureImage({ ref: other, source: { kind: 'load', tarPath: junk } }), { code: errors.containers.IMAGE_BUILD_FAILED.code, message: /^load of lpx-test\/other-\d+:1 failed/ });
  t.equal(await runtime.inspectImage(other), undefined, 'nothing tagged by the refused loads');
});
