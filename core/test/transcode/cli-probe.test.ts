// `lpx transcode probe --config`: the config's plugins are loaded as `lpx
// start` loads them, each backend probed (real ffmpeg here), and the table or
// JSON says what is available, with capacity, codecs and the reason if not.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { runCli } from '../../../test/helpers/cli.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

t.test('lpx transcode probe prints each backend with its status', async (t) => {
  const redis = await testRedis(t);
  const dir = await mkdtemp(join(tmpdir(), 'lpx-probe-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const plugin = resolve(import.meta.dirname, 'helpers/cli-probe-plugin.ts');
  const config = join(dir, 'node.yaml');
  await writeFile(config, `node:\n  dataDir: ${JSON.stringify(join(dir, 'data'))}\nredis:\n  url: ${redis.url}\n  prefix: "${uniquePrefix('cli')}"\nplugins:\n  test-transcode-cli:\n    module: ${JSON.stringify(plugin)}\n`);

  const human = await runCli('transcode', 'probe', '--config', config);
  t.equal(human.code, 0, human.stderr);
  const lines = human.stdout.split('\n');
  t.match(lines[0], /^BACKEND\s+AVAILABLE\s+CAPACITY\s+DECODE\s+ENCODE\s+FORMATS\s+REASON$/);
  t.match(human.stdout, /test-ffmpeg\s+yes\s+2\s+H264,VP8\s+H264\s+mpegts,mp4\s+-/);
  t.match(human.stdout, /test-gpu\s+no\s+0\s+-\s+-\s+-\s+no NVIDIA device: nvidia-smi not found/);

  const json = await runCli('transcode', 'probe', '--config', config, '--json');
  const parsed = JSON.parse(json.stdout) as { ok: boolean; backends: { name: string; available: boolean; capacity: number; reason?: string }[] };
  t.same(parsed.backends.map((b) => [b.name, b.available, b.capacity]), [['test-ffmpeg', true, 2], ['test-gpu', false, 0]]);

  const none = await runCli('transcode', 'probe', '--config', config, '--set', 'transcode.probeTimeoutMs=100', '--timeout', '1', '--json');
  t.equal(none.code, 1, 'nothing available within the timeout: exit 1');
  t.match(JSON.parse(none.stdout), { backends: [{ name: 'test-ffmpeg', available: false, reason: /did not finish within 1 ms/ }, { name: 'test-gpu', available: false }] });
});
