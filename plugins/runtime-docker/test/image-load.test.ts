import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import t from 'tap';
import Dockerode from 'dockerode';
import { byocTestApp } from '../../../test/helpers/byoc-test-app.js';
import { testDocker } from '../../../test/helpers/docker.js';

t.test('an image source of kind load runs docker load of a saved archive and reports the loaded image', async (t) => {
  const app = await byocTestApp(t);
  const { socketPath } = await testDocker(t);
  const docker = new Dockerode({ socketPath });
  // A tag of its own, saved then removed: the load must bring it back with the same image id.
  const repo = `lpx-load-test-${randomBytes(4).toString('hex')}`;
  const ref = `${repo}:1`;
  await docker.getImage(app.ref).tag({ repo, tag: '1' });
  const archive = join(t.testdir(), 'saved.tar');
  await pipeline(await docker.getImage(ref).get(), createWriteStream(archive));
  await docker.getImage(ref).remove();
  t.teardown(() => docker.getImage(ref).remove().catch(() => undefined));
  t.equal(await app.runtime.inspectImage(ref), undefined, 'the tag is gone before the load');

  const loaded = await app.runtime.ensureImage({ ref, source: { kind: 'load', tarPath: archive } });
  t.equal(loaded.ref, ref);
  t.equal(loaded.id, app.digest, 'the loaded image is the saved one, by id');
  t.equal((await app.runtime.inspectImage(ref))?.id, app.digest);
});

t.test('a load whose archive does not hold the ref, or which does not exist, is refused with a coded error', async (t) => {
  const app = await byocTestApp(t);
  const ref = `lpx-load-absent-${randomBytes(4).toString('hex')}:1`;
  await t.rejects(app.runtime.ensureImage({ ref, source: { kind: 'load', tarPath: app.archivePath } }), { code: 'LPX_ERR_CONTAINERS_IMAGE_NOT_FOUND', message: /does not contain it/ });
  t.equal(await app.runtime.inspectImage(ref), undefined, 'the ref was not created');
  await t.rejects(app.runtime.ensureImage({ ref, source: { kind: 'load', tarPath: join(t.testdir(), 'missing.tar') } }), { code: 'LPX_ERR_CONTAINERS_IMAGE_NOT_FOUND', message: /does not exist/ });
});
