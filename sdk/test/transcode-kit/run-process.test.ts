import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { descendantProcesses } from '@lpx/sdk/testing';
import { runProcess, testEncodeFailure, transcodeProcessError } from '@lpx/sdk/transcode-kit';

const work = await mkdtemp(join(tmpdir(), 'lpx-kit-run-'));
t.teardown(() => rm(work, { recursive: true, force: true }));

/** A wrapper script that starts a child and waits: what vendor ffmpeg wrappers look like to a kill. */
const wrapper = join(work, 'wrapper.sh');
await writeFile(wrapper, '#!/bin/bash\nsleep 60 &\nwait\n');
await chmod(wrapper, 0o755);

async function newProcesses(before: Set<number>): Promise<string[]> {
  return ((await descendantProcesses()) ?? []).filter((p) => !before.has(p.pid)).map((p) => p.command);
}

async function waitForSleep(before: Set<number>): Promise<void> {
  for (let i = 0; i < 200 && !(await newProcesses(before)).includes('sleep'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

t.test('exit code, stdout and stderr come back; it never throws', async (t) => {
  const result = await runProcess('bash', ['-c', 'echo out; echo err >&2; exit 3']);
  t.same(result, { code: 3, stdout: 'out\n', stderr: 'err\n', notFound: false, aborted: false, timedOut: false });
  t.match(await runProcess('/nonexistent/tool', []), { notFound: true, code: null });
});

t.test('stderr keeps its tail: the cause is at the end', async (t) => {
  const result = await runProcess('bash', ['-c', 'for i in $(seq 1 3000); do echo "line $i of noise" >&2; done; echo "the cause" >&2']);
  t.ok(result.stderr.length <= 16 * 1024);
  t.match(result.stderr, /the cause\n$/);
});

t.test('abort kills the whole process group, wrapper and child', async (t) => {
  const before = new Set((await descendantProcesses())?.map((p) => p.pid));
  const controller = new AbortController();
  const running = runProcess(wrapper, [], { signal: controller.signal });
  await waitForSleep(before);
  controller.abort();
  t.match(await running, { aborted: true, code: null });
  t.same(await newProcesses(before), [], 'nothing left running');
  t.match(await runProcess('true', [], { signal: controller.signal }), { aborted: true }, 'an aborted signal starts nothing');
});

t.test('a timeout kills the group too', async (t) => {
  const before = new Set((await descendantProcesses())?.map((p) => p.pid));
  t.match(await runProcess(wrapper, [], { timeoutMs: 300 }), { timedOut: true, aborted: false });
  t.same(await newProcesses(before), []);
});

t.test('a failed transcode process is a coded error with the encoder’s line; success is undefined', async (t) => {
  const context = { command: '/opt/ffmpeg', where: 'GPU 1', details: { backend: 'x', device: '1' } };
  const base = { code: 0, stdout: '', stderr: '', notFound: false, aborted: false, timedOut: false };
  t.equal(transcodeProcessError(base, context), undefined);
  t.match(transcodeProcessError({ ...base, code: null, aborted: true }, context), { code: 'LPX_ERR_TRANSCODE_CANCELLED', message: /ffmpeg on GPU 1 was killed/ });
  t.match(transcodeProcessError({ ...base, code: null, notFound: true }, context), { code: 'LPX_ERR_TRANSCODE_FAILED', message: 'ffmpeg not found at /opt/ffmpeg' });
  t.match(transcodeProcessError({ ...base, code: 1, stderr: '[h264_nvenc @ 0x1] OpenEncodeSessionEx failed\nConversion failed!' }, context), {
    code: 'LPX_ERR_TRANSCODE_FAILED', message: 'ffmpeg on GPU 1 exited with 1: OpenEncodeSessionEx failed', details: { backend: 'x', device: '1' },
  });
  t.match(transcodeProcessError({ ...base, code: null }, context), { message: /exited with a signal/ });
});

t.test('REAL ffmpeg here: a test encode that works is undefined, one that fails is the reason', async (t) => {
  const signal = new AbortController().signal;
  const args = (encoder: string): string[] => ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=size=160x90:rate=30', '-frames:v', '1', '-c:v', encoder, '-f', 'null', '-'];
  t.equal(await testEncodeFailure('ffmpeg', args('libx264'), { label: 'test encode with libx264', signal, timeoutMs: 20_000 }), undefined);
  t.match(await testEncodeFailure('ffmpeg', args('no_such_encoder'), { label: 'test encode with no_such_encoder', signal, timeoutMs: 20_000 }), /^test encode with no_such_encoder failed: .*no_such_encoder/);
  t.equal(await testEncodeFailure('/nonexistent/ffmpeg', [], { label: 'x', signal, timeoutMs: 1000 }), 'ffmpeg not found at /nonexistent/ffmpeg');
  t.equal(await testEncodeFailure(wrapper, [], { label: 'test encode on GPU 0', signal, timeoutMs: 300 }), 'test encode on GPU 0 did not finish within 300 ms');
});
