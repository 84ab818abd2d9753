// coreServices.orchestratorWire on real hosts: a plugin mounts a root HTTP
// route, a registered fastify plugin and a gRPC service on the orchestrator's
// TLS front door (one port for both, as go-livepeer's -serviceAddr); kernel
// paths and services are refused with coded errors; a node without the
// orchestrator role mounts nothing and says so.
import { credentials, makeGenericClientConstructor, Metadata, type ServiceDefinition } from '@grpc/grpc-js';
import t from 'tap';
import { request } from 'undici';
import { coreServices, definePlugin, type OrchestratorWireService, type PluginDefinition } from '@lpx/sdk';
import { makeHost } from '../../../test/helpers/host.js';
import { insecureAgent } from '../network/helpers/remote-transcoder-node.js';

const SECRET = 'wire-secret';

const echo: ServiceDefinition = {
  Echo: {
    path: '/wiretest.Echo/Echo',
    requestStream: false,
    responseStream: false,
    originalName: 'Echo',
    requestSerialize: (value: Buffer) => value,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (value: Buffer) => value,
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

function wirePlugin(use: (wire: OrchestratorWireService) => void, id = 'wire-test'): PluginDefinition {
  return definePlugin({
    manifest: { id, version: '0.1.0', host: '^0.1.0', requires: { services: ['core.orchestrator-wire'] } },
    register(reg) {
      reg.registerInit({ deps: { wire: coreServices.orchestratorWire }, init: ({ wire }) => use(wire) });
    },
  });
}

async function callEcho(host: string, payload: Buffer): Promise<Buffer> {
  const Client = makeGenericClientConstructor({}, 'Echo');
  const client = new Client(host, credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined }));
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      client.makeUnaryRequest('/wiretest.Echo/Echo', (b: Buffer) => b, (b: Buffer) => b, payload, new Metadata(), (error, value) => (error ? reject(error) : resolve(value!)));
    });
  } finally {
    client.close();
  }
}

t.test('a plugin mounts a root route, a fastify plugin and a gRPC service on the front door', async (t) => {
  let wire: OrchestratorWireService | undefined;
  const seenAtInit: { uri: string | undefined; enabled: boolean } = { uri: 'unset', enabled: false };
  const plugin = wirePlugin((w) => {
    wire = w;
    seenAtInit.uri = w.serviceUri();
    seenAtInit.enabled = w.enabled;
    w.route({ method: 'GET', url: '/wire-hello', handler: async (req) => ({ hello: 'wire', secretOk: w.secretMatches(String(req.headers['credentials'] ?? '')) }) });
    w.register(async (scope) => {
      scope.get('/wire-nested/:name', async (req) => ({ name: (req.params as { name: string }).name }));
    });
    w.addGrpcService(echo, { Echo: (call: { request: Buffer }, callback: (e: null, v: Buffer) => void) => callback(null, Buffer.concat([Buffer.from('echo:'), call.request])) });
  });
  const host = makeHost(t, [plugin], { node: { roles: ['orchestrator'] }, orchestrator: { port: 0, secret: SECRET } });
  await host.start();
  t.same(seenAtInit, { uri: undefined, enabled: true }, 'enabled during init, no service URI before the door listens');
  t.equal(wire!.serviceUri(), host.serviceUri, 'the service URI once listening');
  t.equal(wire!.address(), host.address, "the node's address");
  t.ok(wire!.secretConfigured);
  t.notOk(wire!.secretMatches('nope'));

  const hello = await request(`${host.serviceUri}/wire-hello`, { dispatcher: insecureAgent, headers: { credentials: SECRET } });
  t.same(await hello.body.json(), { hello: 'wire', secretOk: true }, 'the root route answers on the front door');
  const nested = await request(`${host.serviceUri}/wire-nested/abc`, { dispatcher: insecureAgent });
  t.same(await nested.body.json(), { name: 'abc' });
  const onEdge = await request(`${host.url}/wire-hello`);
  await onEdge.body.dump();
  t.equal(onEdge.statusCode, 404, 'not on the HTTP edge');

  const echoed = await callEcho(new URL(host.serviceUri!).host, Buffer.from('ping'));
  t.equal(echoed.toString(), 'echo:ping', 'the gRPC service answers through the same TLS port');

  t.throws(() => wire!.route({ method: 'GET', url: '/late', handler: async () => 'x' }), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID' }, 'calls after init are refused');
});

t.test('kernel paths and services are refused; /capability/* (BYOC worker registration) is a plugin\'s', async (t) => {
  const refused: string[] = [];
  const plugin = wirePlugin((w) => {
    for (const url of ['/segment', '/payment', '/process/request/x', '/v1/blobs/x', '/capability/register']) {
      try {
        w.route({ method: 'POST', url, handler: async () => 'x' });
      } catch (error) {
        refused.push(`${url}:${(error as { code: string }).code}`);
      }
    }
    const escaping = Object.assign(async () => undefined, { [Symbol.for('skip-override')]: true });
    try {
      w.register(escaping);
    } catch (error) {
      refused.push(`fastify-plugin:${(error as { code: string }).code}`);
    }
    try {
      w.addGrpcService({ GetOrchestrator: { ...echo['Echo']!, path: '/net.Orchestrator/GetOrchestrator' } }, {});
    } catch (error) {
      refused.push(`grpc:${(error as { code: string }).code}`);
    }
  });
  const host = makeHost(t, [plugin], { node: { roles: ['orchestrator'] }, orchestrator: { port: 0 } });
  await host.start();
  t.same(refused, [
    ...['/segment', '/payment', '/process/request/x', '/v1/blobs/x'].map((what) => `${what}:LPX_ERR_HTTP_ROOT_ROUTE_RESERVED`),
    'fastify-plugin:LPX_ERR_PLUGIN_ENCAPSULATION',
    'grpc:LPX_ERR_HTTP_ROOT_ROUTE_RESERVED',
  ]);

  const sneaky = wirePlugin((w) => w.register(async (scope) => void scope.post('/segment', async () => 'mine')), 'wire-sneaky');
  const other = makeHost(t, [sneaky], { node: { roles: ['orchestrator'] }, orchestrator: { port: 0 } });
  await t.rejects(other.start(), { code: 'LPX_ERR_HTTP_ROOT_ROUTE_RESERVED' }, 'a kernel path declared inside a registered plugin fails the boot');
});

t.test('without the orchestrator role nothing is mounted', async (t) => {
  let wire: OrchestratorWireService | undefined;
  const plugin = wirePlugin((w) => {
    wire = w;
    w.route({ method: 'GET', url: '/wire-hello', handler: async () => 'x' });
  });
  const host = makeHost(t, [plugin], { node: { roles: ['worker'] } });
  await host.start();
  t.equal(wire!.enabled, false);
  t.equal(wire!.serviceUri(), undefined);
  t.equal(wire!.address(), undefined);
  t.equal(wire!.secretConfigured, false);
  t.equal(wire!.secretMatches(''), false, 'no secret matches nothing');
  t.equal(host.serviceUri, undefined, 'no front door at all');
  const res = await request(`${host.url}/wire-hello`);
  await res.body.dump();
  t.equal(res.statusCode, 404, 'and not on the HTTP edge either');
});
