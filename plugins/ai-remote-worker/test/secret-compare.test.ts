// Timing cannot be asserted without flaky thresholds, so the guard is on the
// code: the plugin checks worker secrets only through the wire's constant-time
// secretMatches, never with === or !==.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

t.test('no secret is compared with === or !==', async (t) => {
  const root = fileURLToPath(new URL('../src/', import.meta.url));
  const offenders: string[] = [];
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
  t.ok(files.length > 10, 'the sources were found');
  for (const file of files) {
    const text = await readFile(join(root, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (/(secret|credentials)[\w.'()\]]*\s*[!=]==|[!=]==\s*[\w.]*(secret|credentials)/i.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  t.same(offenders, []);
});
