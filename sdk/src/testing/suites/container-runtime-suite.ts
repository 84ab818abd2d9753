import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '../../errors/catalogue.js';
import type { ErrorCode } from '../../errors/lpx-error.js';
import { CONTAINER_OWNER_LABEL, CONTAINER_PLUGIN_LABEL, CONTAINER_SPEC_LABEL, type ContainerInfo, type ContainerRuntime, type ContainerSpec } from '../../extension-points/container-runtimes.js';
import { defineConformanceSuite, type ConformanceAssert, type ConformanceCase, type ConformanceSuite } from '../conformance.js';
import { makeBusyboxRootfs, ROOTFS_INDEX_TEXT, type BusyboxRootfs } from '../containers/busybox-rootfs.js';

export interface ContainerRuntimeSuiteOptions {
  /** A second instance of the runtime on the same engine: the "node restarted" case lists through it. */
  readonly reopen: () => ContainerRuntime | Promise<ContainerRuntime>;
  /** A statically linked busybox the suite builds its image from; default /bin/busybox (Debian: busybox-static). */
  readonly busyboxPath?: string;
  /** Where the rootfs tarball and build contexts go; default a temp dir. */
  readonly workDir?: string;
  /** How long a container may take to answer HTTP or turn healthy; default 30 s. */
  readonly readyTimeoutMs?: number;
}

const MIB = 1024 * 1024;

async function expectCode(promise: Promise<unknown>, code: ErrorCode, what: string, assert: ConformanceAssert): Promise<unknown> {
  const error = await assert.rejects(promise, what);
  const got = (error as { code?: unknown } | undefined)?.code;
  assert.ok(code.is(error), `${what}: expected ${code.code}, got ${typeof got === 'string' ? `${got}: ${(error as Error).message}` : String(error)}`);
  return error;
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What every container runtime must do for the plugins that run models and
 * runners in containers: make images from a tarball or a local build (no
 * registry), run them with published ports, env, limits and health checks,
 * stop and remove them idempotently, find a node's containers again after a
 * restart, and refuse clearly (coded errors) what it cannot do. It needs a
 * live engine; each case probes it first and removes what it created.
 */
export function containerRuntimeSuite(options: ContainerRuntimeSuiteOptions): ConformanceSuite<ContainerRuntime> {
  const run = randomBytes(4).toString('hex');
  const readyMs = options.readyTimeoutMs ?? 30_000;
  const owner = { ownerId: `conformance-${run}` };
  const context = (specHash = 'conformance') => ({ ...owner, pluginId: 'conformance', specHash });
  let rootfs: Promise<BusyboxRootfs> | undefined;
  let workDir: Promise<string> | undefined;
  const work = (): Promise<string> => (workDir ??= options.workDir !== undefined ? Promise.resolve(options.workDir) : mkdtemp(join(tmpdir(), 'lpx-container-suite-')));
  const tarball = (): Promise<BusyboxRootfs> => (rootfs ??= work().then((dir) => makeBusyboxRootfs({ ...(options.busyboxPath ? { busyboxPath: options.busyboxPath } : {}), workDir: dir })));
  /** The base image, imported once per busybox binary and kept on the engine for later runs. */
  const baseImage = async (runtime: ContainerRuntime): Promise<string> => {
    const { tarPath, digest } = await tarball();
    const info = await runtime.ensureImage({ ref: `lpx-conformance/busybox:${digest}`, source: { kind: 'import', tarPath, changes: ['CMD ["/bin/sh"]'] } });
    return info.ref;
  };
  let counter = 0;
  const name = (what: string) => `lpx-conf-${run}-${what}-${++counter}`;

  /** Probes, runs the body, removes the containers it made (by owner) and closes the runtime, whatever happened. */
  const withRuntime = (body: (runtime: ContainerRuntime, assert: ConformanceAssert) => Promise<void>) => async (runtime: ContainerRuntime, assert: ConformanceAssert) => {
    try {
      const status = await runtime.probe(AbortSignal.timeout(120_000));
      assert.ok(status.available, `probe: the engine must be available for this case (${status.reason ?? ''})`);
      await body(runtime, assert);
    } finally {
      const left = await runtime.list(owner).catch(() => [] as ContainerInfo[]);
      for (const info of left) await runtime.remove(info.id, { force: true }).catch(() => undefined);
      await runtime.close();
    }
  };

  const spec = (image: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({ name: name('c'), image, ...extra });

  const cases: ConformanceCase<ContainerRuntime>[] = [
    {
      name: 'has a lowercase name',
      run: (runtime, assert) => assert.ok(typeof runtime.name === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(runtime.name), `name must be a lowercase slug, got ${String(runtime.name)}`),
    },
    {
      name: 'probe resolves available with the engine version and endpoint; an aborted probe still resolves',
      run: async (runtime, assert) => {
        try {
          const status = await runtime.probe(AbortSignal.timeout(120_000));
          assert.equal(status.available, true, `available (${status.reason ?? ''})`);
          assert.ok(typeof status.version === 'string' && status.version.length > 0, 'status.version');
          assert.ok(typeof status.endpoint === 'string' && status.endpoint.length > 0, 'status.endpoint');
          const aborted = await runtime.probe(AbortSignal.abort());
          assert.equal(typeof aborted.available, 'boolean', 'a probe with an aborted signal resolves with a status');
          if (!aborted.available) assert.ok(typeof aborted.reason === 'string' && aborted.reason.length > 0, 'an unavailable status says why');
        } finally {
          await runtime.close();
        }
      },
    },
    {
      name: 'imports a root filesystem tarball with changes and labels; ensureImage is then a no-op; removeImage is idempotent',
      run: withRuntime(async (runtime, assert) => {
        const { tarPath } = await tarball();
        const ref = `lpx-conformance/import:${run}`;
        try {
          const progress: string[] = [];
          const info = await runtime.ensureImage({ ref, source: { kind: 'import', tarPath, changes: ['CMD ["/bin/sh"]', 'ENV FROM_IMPORT=yes'] }, labels: { 'io.lpx.conformance': run } }, { onProgress: (line) => progress.push(line) });
          assert.equal(info.ref, ref, 'info.ref');
          assert.ok(/^sha256:[0-9a-f]{64}$/.test(info.id), `info.id is a content id, got ${info.id}`);
          assert.ok(info.sizeBytes > 0, 'info.sizeBytes');
          assert.equal(info.labels['io.lpx.conformance'], run, 'the spec labels are on the image');
          const again = await runtime.ensureImage({ ref, source: { kind: 'import', tarPath: '/nonexistent/not-read-when-present.tar' } });
          assert.equal(again.id, info.id, 'a present image is not imported again');
          assert.equal((await runtime.inspectImage(ref))?.id, info.id, 'inspectImage finds it');
        } finally {
          await runtime.removeImage(ref);
        }
        assert.equal(await runtime.inspectImage(ref), undefined, 'removed');
        await runtime.removeImage(ref);
      }),
    },
    {
      name: 'builds FROM a local image with build args and labels, reporting progress; the built image runs',
      run: withRuntime(async (runtime, assert) => {
        const base = await baseImage(runtime);
        const context = await mkdtemp(join(await work(), 'build-'));
        const ref = `lpx-conformance/build:${run}`;
        try {
          await writeFile(join(context, 'Dockerfile'), `FROM ${base}\nARG GREETING\nCOPY message.txt /message.txt\nRUN echo "built with $GREETING" >> /message.txt\nCMD ["cat", "/message.txt"]\n`);
          await writeFile(join(context, 'message.txt'), 'from the context\n');
          const progress: string[] = [];
          const info = await runtime.ensureImage({ ref, source: { kind: 'build', contextDir: context, buildArgs: { GREETING: run } }, labels: { 'io.lpx.conformance': run } }, { onProgress: (line) => progress.push(line) });
          assert.ok(progress.length > 0, 'build progress lines reach onProgress');
          assert.equal(info.labels['io.lpx.conformance'], run, 'the spec labels are on the image');
          const created = await runtime.create(spec(ref), context_());
          await runtime.start(created.id);
          const exited = await until('the container exits', readyMs, async () => {
            const state = await runtime.inspect(created.id);
            return state?.state === 'exited' ? state : undefined;
          });
          assert.equal(exited.exitCode, 0, 'exit code 0');
          const logs = await runtime.logs(created.id);
          assert.ok(logs.includes('from the context') && logs.includes(`built with ${run}`), `the build's COPY and RUN (with the build arg) are in the image: ${JSON.stringify(logs)}`);
        } finally {
          await runtime.remove((await runtime.list(owner))[0]?.id ?? 'none', { force: true });
          await runtime.removeImage(ref);
          await rm(context, { recursive: true, force: true });
        }
      }),
    },
    {
      name: 'a failing build is IMAGE_BUILD_FAILED with its output; a missing context or tarball is IMAGE_NOT_FOUND',
      run: withRuntime(async (runtime, assert) => {
        const base = await baseImage(runtime);
        const context = await mkdtemp(join(await work(), 'fail-'));
        try {
          await writeFile(join(context, 'Dockerfile'), `FROM ${base}\nRUN echo conformance-build-output-${run} && exit 3\n`);
          const error = await expectCode(runtime.ensureImage({ ref: `lpx-conformance/fail:${run}`, source: { kind: 'build', contextDir: context } }), errors.containers.IMAGE_BUILD_FAILED, 'a RUN step exiting 3', assert);
          assert.ok(String((error as Error).message).includes(`conformance-build-output-${run}`), `the error has the build's last output lines: ${(error as Error).message}`);
          assert.equal(await runtime.inspectImage(`lpx-conformance/fail:${run}`), undefined, 'no image is left under the ref');
        } finally {
          await rm(context, { recursive: true, force: true });
        }
        await expectCode(runtime.ensureImage({ ref: `lpx-conformance/nocontext:${run}`, source: { kind: 'build', contextDir: join(context, 'missing') } }), errors.containers.IMAGE_NOT_FOUND, 'a missing build context', assert);
        await expectCode(runtime.ensureImage({ ref: `lpx-conformance/notar:${run}`, source: { kind: 'import', tarPath: join(context, 'missing.tar') } }), errors.containers.IMAGE_NOT_FOUND, 'a missing tarball', assert);
      }),
    },
    {
      name: "an image that is not present is IMAGE_NOT_FOUND: source 'present', a pull that no registry serves, a container of a missing image",
      run: withRuntime(async (runtime, assert) => {
        const absent = `lpx-conformance/absent-${run}:none`;
        await expectCode(runtime.ensureImage({ ref: absent, source: { kind: 'present' } }), errors.containers.IMAGE_NOT_FOUND, "source 'present'", assert);
        await expectCode(runtime.ensureImage({ ref: absent, source: { kind: 'pull' } }), errors.containers.IMAGE_NOT_FOUND, 'a pull of an image no registry has', assert);
        await expectCode(runtime.create(spec(absent), context_()), errors.containers.IMAGE_NOT_FOUND, 'create with a missing image', assert);
        assert.equal(await runtime.inspectImage(absent), undefined, 'inspectImage of a missing image is undefined');
      }),
    },
    {
      name: 'runs a container: published port picked by the engine on 127.0.0.1, HTTP answer, env, memory limit, health, labels, logs',
      run: withRuntime(async (runtime, assert) => {
        const image = await baseImage(runtime);
        const limit = 64 * MIB;
        // The process prints what it sees (env, its cgroup's memory limit, v1 or v2), then serves /www.
        const script = 'echo "greeting=$GREETING"; echo "limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"; echo to-stderr >&2; exec httpd -f -p 8080 -h /www';
        const created = await runtime.create(
          spec(image, {
            env: { GREETING: `hello ${run}` },
            command: ['sh', '-c', script],
            ports: [{ containerPort: 8080 }],
            memoryBytes: limit,
            cpus: 0.5,
            labels: { 'io.lpx.conformance': run },
            restart: { policy: 'no' },
            health: { test: ['CMD', 'wget', '-qO-', 'http://127.0.0.1:8080/'], intervalMs: 500, timeoutMs: 3_000, retries: 3 },
          }),
          context_('hash-1'),
        );
        assert.equal(created.state, 'created', 'create does not start');
        assert.equal(created.labels[CONTAINER_OWNER_LABEL], owner.ownerId, 'owner label');
        assert.equal(created.labels[CONTAINER_PLUGIN_LABEL], 'conformance', 'plugin label');
        assert.equal(created.labels[CONTAINER_SPEC_LABEL], 'hash-1', 'spec label');
        assert.equal(created.labels['io.lpx.conformance'], run, 'the spec labels');
        const started = await runtime.start(created.id);
        assert.equal(started.state, 'running', 'running after start');
        const port = started.ports.find((p) => p.containerPort === 8080);
        assert.ok(port !== undefined && port.hostPort > 0, `the engine picked a host port and it reads back: ${JSON.stringify(started.ports)}`);
        assert.equal(port!.hostIp, '127.0.0.1', 'published on 127.0.0.1 by default');
        const body = await until('the published port answers HTTP', readyMs, async () => {
          const response = await fetch(`http://127.0.0.1:${port!.hostPort}/`, { signal: AbortSignal.timeout(5_000) });
          return response.ok ? response.text() : undefined;
        });
        assert.ok(body.includes(ROOTFS_INDEX_TEXT), 'the container served the page');
        await until('the health check reports healthy', readyMs, async () => ((await runtime.inspect(created.id))?.health === 'healthy' ? true : undefined));
        const logs = await runtime.logs(created.id);
        assert.ok(logs.includes(`greeting=hello ${run}`), `the env reached the process: ${JSON.stringify(logs)}`);
        assert.ok(logs.includes(`limit=${limit}`), `the process sees the memory limit: ${JSON.stringify(logs)}`);
        assert.ok(logs.includes('to-stderr') && !logs.includes('\u0001\u0000'), 'stderr is in the logs, demultiplexed');
        assert.ok((await runtime.logs(created.id, { tail: 1 })).trim().split('\n').length === 1, 'tail limits the lines');
        assert.ok((await runtime.inspect(created.id))?.name === created.name, 'inspect by id');
      }),
    },
    {
      name: 'stop with a timeout kills a process that ignores SIGTERM; stop and remove are idempotent; a removed container is gone',
      run: withRuntime(async (runtime, assert) => {
        const image = await baseImage(runtime);
        const created = await runtime.create(spec(image, { command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'] }), context_());
        await runtime.start(created.id);
        await runtime.stop(created.id, { timeoutMs: 1_000 });
        const stopped = await runtime.inspect(created.id);
        assert.equal(stopped?.state, 'exited', 'exited after stop');
        assert.equal(stopped?.exitCode, 137, 'killed (SIGKILL) after the timeout');
        await runtime.stop(created.id, { timeoutMs: 1_000 });
        await runtime.remove(created.id);
        assert.equal(await runtime.inspect(created.id), undefined, 'inspect of a removed container is undefined');
        await runtime.remove(created.id);
        await runtime.remove(created.id, { force: true });
        await expectCode(runtime.stop(created.id), errors.containers.NOT_FOUND, 'stop of a removed container', assert);
        await expectCode(runtime.start(created.id), errors.containers.NOT_FOUND, 'start of a removed container', assert);
        await expectCode(runtime.logs(created.id), errors.containers.NOT_FOUND, 'logs of a removed container', assert);
        const running = await runtime.create(spec(image, { command: ['sleep', '300'] }), context_());
        await runtime.start(running.id);
        await runtime.remove(running.id, { force: true });
        assert.equal(await runtime.inspect(running.id), undefined, 'force removes a running container');
      }),
    },
    {
      name: 'after a restart (a new runtime instance, same owner) list finds the containers, filtered by labels; other owners see none',
      run: withRuntime(async (runtime, assert) => {
        const image = await baseImage(runtime);
        const a = await runtime.create(spec(image, { command: ['sleep', '300'], labels: { 'io.lpx.role': 'a' } }), context_());
        const b = await runtime.create(spec(image, { command: ['sleep', '300'], labels: { 'io.lpx.role': 'b' } }), context_());
        await runtime.start(a.id);
        const again = await options.reopen();
        try {
          const status = await again.probe(AbortSignal.timeout(120_000));
          assert.ok(status.available, 'the reopened runtime is available');
          const all = await again.list(owner);
          assert.ok(all.some((c) => c.id === a.id) && all.some((c) => c.id === b.id), `both containers are listed: ${all.map((c) => c.name).join(', ')}`);
          assert.equal(all.find((c) => c.id === a.id)?.state, 'running', 'with their state');
          const onlyA = await again.list(owner, { 'io.lpx.role': 'a' });
          assert.equal(onlyA.length, 1, 'a label filter narrows the list');
          assert.equal(onlyA[0]?.id, a.id, 'to the matching container');
          assert.equal((await again.list({ ownerId: `${owner.ownerId}-other` })).length, 0, 'another owner sees none of them');
        } finally {
          await again.close();
        }
      }),
    },
    {
      name: 'refuses a name in use (NAME_IN_USE), an invalid spec (SPEC_INVALID) and a busy fixed host port (START_FAILED)',
      run: withRuntime(async (runtime, assert) => {
        const image = await baseImage(runtime);
        const first = await runtime.create(spec(image, { command: ['httpd', '-f', '-p', '8080', '-h', '/www'], ports: [{ containerPort: 8080 }] }), context_());
        await expectCode(runtime.create({ ...spec(image), name: first.name }, context_()), errors.containers.NAME_IN_USE, 'a second container with the same name', assert);
        await expectCode(runtime.create(spec(image, { ports: [{ containerPort: 70_000 }] }), context_()), errors.containers.SPEC_INVALID, 'port 70000', assert);
        await expectCode(runtime.create({ ...spec(image), name: 'bad name!' }, context_()), errors.containers.SPEC_INVALID, 'a name with a space', assert);
        await expectCode(runtime.create(spec(image, { memoryBytes: -1 }), context_()), errors.containers.SPEC_INVALID, 'a negative memory limit', assert);
        const started = await runtime.start(first.id);
        const taken = started.ports[0]!.hostPort;
        const second = await runtime.create(spec(image, { command: ['httpd', '-f', '-p', '8080', '-h', '/www'], ports: [{ containerPort: 8080, hostPort: taken }] }), context_());
        await expectCode(runtime.start(second.id), errors.containers.START_FAILED, `a second container on host port ${taken}`, assert);
      }),
    },
    {
      name: 'ensureImage honours an aborted signal',
      run: withRuntime(async (runtime, assert) => {
        const { tarPath } = await tarball();
        const ref = `lpx-conformance/aborted:${run}`;
        const controller = new AbortController();
        controller.abort(new Error('caller gave up'));
        const error = await assert.rejects(runtime.ensureImage({ ref, source: { kind: 'import', tarPath } }, { signal: controller.signal }), 'an already-aborted import');
        assert.ok(error === controller.signal.reason || (error as Error)?.name === 'AbortError', `rejects with the signal's reason, got ${String(error)}`);
        await runtime.removeImage(ref);
      }),
    },
  ];
  // Shorthand for the default create context.
  function context_(specHash?: string) {
    return context(specHash);
  }
  return defineConformanceSuite<ContainerRuntime>({ extensionPoint: 'containers.runtimes', cases });
}
