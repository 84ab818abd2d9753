import t from 'tap';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secretMatches } from '../../src/http/secret-match.js';

t.test('secretMatches is plain equality for any lengths and characters', async (t) => {
  t.equal(secretMatches('s3cret', 's3cret'), true);
  t.equal(secretMatches('s3cret', 's3cret!'), false, 'a prefix does not match');
  t.equal(secretMatches('s3cret-and-much-longer', 's3cret'), false, 'a longer value does not match');
  t.equal(secretMatches('', 's3cret'), false);
  t.equal(secretMatches(undefined, 's3cret'), false);
  t.equal(secretMatches('é', 'é'), true);
  t.equal(secretMatches('é', 'e\u0301'), false, 'bytes, not rendering, decide');
});

t.test('an empty or absent expected secret matches nothing, not even an empty one', async (t) => {
  t.equal(secretMatches('', ''), false);
  t.equal(secretMatches(undefined, undefined), false);
  t.equal(secretMatches('x', undefined), false);
});

// Timing cannot be asserted without flaky thresholds, so the guard is on the code:
// the worker-facing modules must compare secrets only through secretMatches.
t.test('remote worker modules never compare a secret with === or !==', async (t) => {
  const root = fileURLToPath(new URL('../../src/network/', import.meta.url));
  const offenders: string[] = [];
  for (const dir of ['remote-ai']) {
    for (const file of await readdir(join(root, dir))) {
      const text = await readFile(join(root, dir, file), 'utf8');
      text.split('\n').forEach((line, i) => {
        const secretish = (operand: string) => /secret|'credentials'\)$/i.test(operand) && !/^(''|undefined|'function')$/.test(operand);
        const comparisons = [...line.matchAll(/([\w.'()]+)\s*[!=]==\s*([\w.'()]+)/g)];
        if (comparisons.some(([, left, right]) => !/^(''|undefined|'function')\)*$/.test(right!) && (secretish(left!) || secretish(right!)) && !/typeof/.test(line))) {
          offenders.push(`${dir}/${file}:${i + 1}: ${line.trim()}`);
        }
      });
    }
  }
  t.same(offenders, [], 'secrets are compared with secretMatches');
});
