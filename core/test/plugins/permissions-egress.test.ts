import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { coreServices, errors, type EgressService, type LpxError } from '@lpx/sdk';
import { makeHost } from '../../../test/helpers/host.js';
import { grabbing, startHost } from './permissions-fixture.js';

// coreServices.egress: outbound HTTP only to granted hosts, redirects re-checked (docs/adr/0036-permissions-enforced.md).

/** A real local HTTP server; `handle` answers, every request is recorded. */
async function server(t: Test, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; seen: { method: string; url: string; auth?: string; body: string }[] }> {
  const seen: { method: string; url: string; auth?: string; body: string }[] = [];
  const http: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, ...(req.headers.authorization !== undefined ? { auth: req.headers.authorization } : {}), body });
      handle(req, res);
    });
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  t.teardown(() => new Promise<void>((ok) => http.close(() => ok())));
  return { port: (http.address() as AddressInfo).port, seen };
}

function deniedSync(t: Test, run: () => unknown, permission: string, grant?: string): LpxError {
  try {
    run();
  } catch (error) {
    t.ok(errors.plugin.PERMISSION_DENIED.is(error), 'LPX_ERR_PLUGIN_PERMISSION_DENIED');
    const lpx = error as LpxError;
    t.equal(lpx.details?.['permission'], permission, `names ${permission}`);
    if (grant !== undefined) t.match(lpx.message, grant, `names ${grant}`);
    return lpx;
  }
  t.fail('expected a refusal');
  return undefined as never;
}

async function egressFor(t: Test, hosts: string[] | undefined): Promise<EgressService> {
  let egress: EgressService | undefined;
  const manifest = hosts === undefined ? { permissions: ['network' as const] } : { permissions: ['network' as const], grants: { network: { hosts } } };
  await startHost(t, [grabbing('fetcher', { egress: coreServices.egress }, manifest, (deps) => (egress = deps.egress as EgressService))]);
  return egress!;
}

t.test('a granted host is reached; another host or port is refused before anything is sent', async (t) => {
  const allowed = await server(t, (_req, res) => res.end('hello'));
  const other = await server(t, (_req, res) => res.end('should not be reached'));
  const egress = await egressFor(t, [`127.0.0.1:${allowed.port}`]);

  const response = await egress.fetch(`http://127.0.0.1:${allowed.port}/greet`, { method: 'POST', body: 'hi' });
  t.equal(await response.text(), 'hello');
  t.same(allowed.seen.map((s) => [s.method, s.url, s.body]), [['POST', '/greet', 'hi']]);
  t.ok(egress.allowed(`http://127.0.0.1:${allowed.port}/x`));

  await t.rejects(egress.fetch(`http://127.0.0.1:${other.port}/`), { code: errors.plugin.PERMISSION_DENIED.code, details: { permission: 'network', grant: 'grants.network.hosts' } });
  await t.rejects(egress.fetch(`http://localhost:${allowed.port}/`), { code: errors.plugin.PERMISSION_DENIED.code }, 'a host name is not its address');
  t.equal(other.seen.length, 0, 'nothing reached the other server');
  const error = deniedSync(t, () => egress.check(`http://127.0.0.1:${other.port}/`), 'network', 'grants.network.hosts');
  t.match(error.message, `reach 127.0.0.1:${other.port}`, 'names the host and port');
  t.notOk(egress.allowed('file:///etc/passwd'), 'only http(s)');
  t.notOk(egress.allowed('not a url'));
});

t.test('redirects are followed only while every hop is granted; a cross-host redirect is refused', async (t) => {
  const elsewhere = await server(t, (_req, res) => res.end('elsewhere'));
  const origin = await server(t, (req, res) => {
    if (req.url === '/same') return void res.writeHead(302, { location: '/final' }).end();
    if (req.url === '/away') return void res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}/stolen` }).end();
    if (req.url === '/see-other') return void res.writeHead(303, { location: '/final' }).end();
    res.end(`final via ${req.method}`);
  });
  const egress = await egressFor(t, [`127.0.0.1:${origin.port}`]);

  const same = await egress.fetch(`http://127.0.0.1:${origin.port}/same`);
  t.equal(await same.text(), 'final via GET', 'a same-host redirect is followed');
  t.equal(same.status, 200);

  const seeOther = await egress.fetch(`http://127.0.0.1:${origin.port}/see-other`, { method: 'POST', body: 'x' });
  t.equal(await seeOther.text(), 'final via GET', '303 turns into a GET, as fetch does');

  await t.rejects(egress.fetch(`http://127.0.0.1:${origin.port}/away`, { method: 'POST', body: 'secret', headers: { authorization: 'Bearer k' } }), {
    code: errors.plugin.PERMISSION_DENIED.code,
    details: { permission: 'network', url: `http://127.0.0.1:${elsewhere.port}/stolen` },
  });
  t.equal(elsewhere.seen.length, 0, 'the redirect target never saw the request');

  const manual = await egress.fetch(`http://127.0.0.1:${origin.port}/away`, { redirect: 'manual' });
  t.equal(manual.status, 307, "redirect: 'manual' hands the redirect back unfollowed");
  t.equal(elsewhere.seen.length, 0);
});

t.test('a redirect between two granted hosts is followed, without the credentials', async (t) => {
  const second = await server(t, (req, res) => res.end(`second got ${req.method}`));
  const first = await server(t, (_req, res) => void res.writeHead(308, { location: `http://127.0.0.1:${second.port}/landing` }).end());
  const egress = await egressFor(t, [`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`]);
  const response = await egress.fetch(`http://127.0.0.1:${first.port}/hop`, { method: 'PUT', body: 'payload', headers: { authorization: 'Bearer first-only' } });
  t.equal(await response.text(), 'second got PUT', '308 keeps the method');
  t.equal(first.seen[0]!.auth, 'Bearer first-only');
  t.same(second.seen.map((s) => [s.url, s.body, s.auth]), [['/landing', 'payload', undefined]], 'the body is resent, the Authorization header is not');
});

t.test('without a hosts grant nothing is allowed; without network egress is refused at boot', async (t) => {
  const target = await server(t, (_req, res) => res.end('x'));
  const egress = await egressFor(t, undefined);
  await t.rejects(egress.fetch(`http://127.0.0.1:${target.port}/`), { code: errors.plugin.PERMISSION_DENIED.code, details: { grant: 'grants.network.hosts' } });
  t.equal(target.seen.length, 0);

  const host = makeHost(t, [grabbing('no-network', { egress: coreServices.egress }, {}, () => undefined)]);
  await t.rejects(host.start(), { code: errors.plugin.PERMISSION_DENIED.code, details: { permission: 'network' }, message: /"network" permission/ });
});

t.test('wildcard grants cover subdomains (checked without sending)', async (t) => {
  const egress = await egressFor(t, ['*.partner.example', 'api.other.example:8443']);
  t.ok(egress.allowed('https://eu.api.partner.example/v1'));
  t.notOk(egress.allowed('https://partner.example/v1'));
  t.ok(egress.allowed('https://api.other.example:8443/'));
  t.notOk(egress.allowed('https://api.other.example/'), 'port 443 is not 8443');
});
