import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { probeGpus } from '../src/gpu/gpu-probe.js';

t.test('no GPU configured: nothing to probe, one emulated slot', async (t) => {
  t.same(await probeGpus([]), { gpus: [] });
});

t.test('configured GPUs on a host without the NVIDIA driver: each is unavailable with the reason', async (t) => {
  const result = await probeGpus(['0', '1'], { nvidiaSmi: 'lpx-no-such-nvidia-smi' });
  t.same(result.gpus.map((g) => [g.id, g.available]), [['0', false], ['1', false]]);
  t.match(result.reason, /lpx-no-such-nvidia-smi not found: no NVIDIA driver on this host/);
  const all = await probeGpus('all', { nvidiaSmi: 'lpx-no-such-nvidia-smi' });
  t.same(all.gpus, [], '"all" with no driver: no GPU, the caller falls back to one emulated slot');
});

// nvidia-smi itself is the boundary we cannot reach here (no GPU): a script prints what it would.
t.test('with nvidia-smi answering: GPUs are matched by index or UUID and need their device node', async (t) => {
  const dir = t.testdir();
  const smi = join(dir, 'nvidia-smi');
  writeFileSync(smi, '#!/bin/sh\necho "0, GPU-aaaa"\necho "1, GPU-bbbb"\n');
  chmodSync(smi, 0o755);
  const dev = join(dir, 'dev');
  mkdirSync(dev);
  writeFileSync(join(dev, 'nvidia0'), '');
  const result = await probeGpus(['GPU-aaaa', '1', '7'], { nvidiaSmi: smi, devDir: dev });
  t.same(result.gpus, [
    { id: 'GPU-aaaa', available: true },
    { id: '1', available: false, reason: `${dev}/nvidia1 does not exist` },
    { id: '7', available: false, reason: 'nvidia-smi does not list GPU 7 (found 0, 1)' },
  ]);
  t.same((await probeGpus('all', { nvidiaSmi: smi, devDir: dev })).gpus.map((g) => g.available), [true, false]);
  const failing = join(dir, 'failing-smi');
  writeFileSync(failing, '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver" >&2\nexit 9\n');
  chmodSync(failing, 0o755);
  t.match((await probeGpus(['0'], { nvidiaSmi: failing })).gpus[0]!.reason, /couldn't communicate with the NVIDIA driver/);
});
