// A node without network roles must not load what only those roles use
// (ADR 0063 addendum): the gateway's segment client and its HTTP client
// (undici), the payments wire codecs (protobufjs). Boots the minimal example
// config in a child process, so this test file's own imports do not count.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/boot-list-modules.ts', import.meta.url));
const minimal = fileURLToPath(new URL('../../../examples/configs/minimal.yaml', import.meta.url));
const packageOf = (path: string): string | undefined => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

t.test('a worker-only node boots without undici or protobufjs', async (t) => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, minimal], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  t.equal(child.status, 0, child.stderr);
  const { state, booted, afterBarrel } = JSON.parse(child.stdout) as { state: string; booted: string[]; afterBarrel: string[] };
  t.equal(state, 'ready');
  const packages = new Set(booted.map(packageOf));
  t.ok(packages.has('bullmq'), 'the list holds the packages a worker uses');
  t.notOk(packages.has('undici'), 'no undici: the segment client and remote blob fetch load it when used');
  t.notOk(packages.has('protobufjs'), 'no protobufjs: only the payments barrel and network wire load it');
  t.ok(new Set(afterBarrel.map(packageOf)).has('protobufjs'), 'control: importing the payments barrel shows protobufjs in the same list');
});
