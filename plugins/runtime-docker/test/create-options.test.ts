import t from 'tap';
import { CONTAINER_OWNER_LABEL, CONTAINER_PLUGIN_LABEL, CONTAINER_SPEC_LABEL, errors, type ContainerSpec } from '@lpx/sdk';
import { createOptions, demultiplexLogs, validateSpec } from '../src/index.js';

const context = { ownerId: 'owner-1', pluginId: 'ai-runners', specHash: 'abc' };

t.test('GPUs become the nvidia device request `docker run --gpus device=…` sends (no GPU here: the request is what we can check)', async (t) => {
  const options = createOptions({ name: 'runner', image: 'img', gpus: ['0', 'GPU-5f2c'] }, context, 'lpx');
  t.same(options.HostConfig?.DeviceRequests, [{ Driver: 'nvidia', Count: 0, DeviceIDs: ['0', 'GPU-5f2c'], Capabilities: [['gpu']], Options: {} }]);
  t.equal(createOptions({ name: 'cpu', image: 'img', gpus: [] }, context, 'lpx').HostConfig?.DeviceRequests, undefined, 'none without gpus');
});

t.test('ports default to 127.0.0.1 with the host port left to the engine; limits, binds, restart, health, env, command, network', async (t) => {
  const spec: ContainerSpec = {
    name: 'runner-1',
    image: 'livepeer/ai-runner:text-to-image',
    env: { MODEL_ID: 'stabilityai/sd-turbo', EMPTY: '' },
    command: ['uvicorn', 'app.main:app'],
    ports: [{ containerPort: 8000 }, { containerPort: 9000, hostIp: '0.0.0.0', hostPort: 19000 }],
    memoryBytes: 512 * 1024 * 1024,
    cpus: 1.5,
    binds: [{ hostPath: '/models', containerPath: '/models', readOnly: true }, { hostPath: '/tmp/out', containerPath: '/out' }],
    restart: { policy: 'on-failure', maxRetries: 3 },
    health: { test: ['CMD', 'wget', '-qO-', 'http://127.0.0.1:8000/health'], intervalMs: 1_000, timeoutMs: 500, retries: 5, startPeriodMs: 2_000 },
    labels: { 'io.lpx.model': 'sd-turbo' },
  };
  const options = createOptions(spec, context, 'lpx');
  t.equal(options.name, 'runner-1');
  t.same(options.Env, ['MODEL_ID=stabilityai/sd-turbo', 'EMPTY=']);
  t.same(options.Cmd, ['uvicorn', 'app.main:app']);
  t.same(options.ExposedPorts, { '8000/tcp': {}, '9000/tcp': {} });
  t.same(options.HostConfig?.PortBindings, { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '9000/tcp': [{ HostIp: '0.0.0.0', HostPort: '19000' }] });
  t.equal(options.HostConfig?.Memory, 512 * 1024 * 1024);
  t.equal(options.HostConfig?.MemorySwap, 512 * 1024 * 1024, 'no swap beyond the limit');
  t.equal(options.HostConfig?.NanoCpus, 1_500_000_000);
  t.same(options.HostConfig?.Binds, ['/models:/models:ro', '/tmp/out:/out']);
  t.same(options.HostConfig?.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  t.equal(options.HostConfig?.NetworkMode, 'lpx');
  t.same(options.Healthcheck, { Test: ['CMD', 'wget', '-qO-', 'http://127.0.0.1:8000/health'], Interval: 1e9, Timeout: 5e8, Retries: 5, StartPeriod: 2e9 });
  t.same(options.Labels, { 'io.lpx.model': 'sd-turbo', [CONTAINER_OWNER_LABEL]: 'owner-1', [CONTAINER_PLUGIN_LABEL]: 'ai-runners', [CONTAINER_SPEC_LABEL]: 'abc' });
  const forged = createOptions({ name: 'x', image: 'i', labels: { [CONTAINER_OWNER_LABEL]: 'someone-else' } }, context, undefined);
  t.equal(forged.Labels?.[CONTAINER_OWNER_LABEL], 'owner-1', 'a spec cannot override the ownership labels');
  t.equal(forged.HostConfig?.NetworkMode, undefined, 'no network: the engine default');
  t.same(createOptions({ name: 'x', image: 'i', restart: { policy: 'always' } }, context, undefined).HostConfig?.RestartPolicy, { Name: 'always' });
});

t.test('validateSpec refuses what the engine would misread, with SPEC_INVALID', async (t) => {
  const bad: [string, Partial<ContainerSpec>][] = [
    ['an empty name', { name: '' }],
    ['a name with a slash', { name: 'a/b' }],
    ['an empty image', { image: ' ' }],
    ['container port 0', { ports: [{ containerPort: 0 }] }],
    ['host port 70000', { ports: [{ containerPort: 80, hostPort: 70_000 }] }],
    ['a fractional port', { ports: [{ containerPort: 80.5 }] }],
    ['memory below 6 MiB', { memoryBytes: 1024 }],
    ['zero cpus', { cpus: 0 }],
    ['a relative bind', { binds: [{ hostPath: 'models', containerPath: '/models' }] }],
    ['an env name with =', { env: { 'A=B': 'x' } }],
    ['an empty health test', { health: { test: [], intervalMs: 1000, timeoutMs: 1000, retries: 1 } }],
    ['maxRetries without on-failure', { restart: { policy: 'always', maxRetries: 2 } }],
  ];
  for (const [what, change] of bad) {
    t.throws(() => validateSpec({ name: 'ok', image: 'img', ...change }), { code: errors.containers.SPEC_INVALID.code }, what);
  }
  t.doesNotThrow(() => validateSpec({ name: 'runner_1.a-b', image: 'img', ports: [{ containerPort: 8000, hostPort: 0 }], memoryBytes: 64 * 1024 * 1024, cpus: 0.25 }));
});

t.test('logs are demultiplexed from the engine\'s 8-byte frames, in order; raw (TTY) output passes through', async (t) => {
  const frame = (stream: number, text: string) => {
    const body = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  };
  t.equal(demultiplexLogs(Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')])), 'out 1\nerr 1\nout 2\n');
  t.equal(demultiplexLogs(Buffer.from('plain tty text\n')), 'plain tty text\n');
  t.equal(demultiplexLogs(Buffer.alloc(0)), '');
});
