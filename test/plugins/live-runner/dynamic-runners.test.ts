// Dynamic runners (POST /runners/heartbeat with the orchestrator secret) and
// the runners' session callbacks: trickle channels (through a test double of
// `trickle.channels`; trickle-channels.test.ts runs them on the real trickle
// plugin), session proxies and self-stop, each with the session
// token the orchestrator injected into the proxied request.
import t from 'tap';
import { call } from './helpers/live-runner-client.js';
import { ORCH_SECRET, startLiveRunnerNode, until } from './helpers/node.js';
import { startRunnerApp } from './helpers/runner-app.js';


t.test('registration: orchestrator secret, heartbeat secret, o2r channel, sessions, unregister', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const node = await startLiveRunnerNode(t, { config: { dynamic: true, o2rIntervalMs: 100 } });
  const { uri, trickle } = node;
  const body = { runner_url: app.url, app: 'live/echo', capacity: 2, metadata: 'm', version: '2' };

  const wrong = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'not-the-secret' }, body: JSON.stringify(body) });
  t.equal(wrong.status, 401);
  t.equal(wrong.text, 'invalid registration authorization\n');
  t.equal(wrong.headers['lpx-error-code'], 'LPX_ERR_LIVE_RUNNER_UNAUTHORIZED');
  const bad = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ ...body, mode: 'sometimes' }) });
  t.equal(bad.status, 400);
  t.equal(bad.text, 'mode must be "persistent" or "single-shot"\n');
  const badId = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ ...body, runner_id: 'a/b' }) });
  t.equal(badId.status, 400, 'a runner id must fit in a URL segment and a trickle name');
  const big = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ ...body, metadata: 'x'.repeat(1025) }) });
  t.equal(big.text, 'metadata must be at most 1024 bytes\n');

  const first = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ ...body, runner_id: 'echo-1' }) });
  t.equal(first.status, 200);
  const reg = first.json<{ runner_id: string; orchestrator: string; heartbeat_interval: string; heartbeat_ttl: string; heartbeat_secret: string; o2r: { name: string; channel_name: string; url: string; mime_type: string }; session_ids: string[] }>();
  t.equal(reg.runner_id, 'echo-1', 'the proposed id is kept');
  t.equal(reg.orchestrator, uri);
  t.equal(reg.heartbeat_interval, '100ms');
  t.equal(reg.heartbeat_ttl, '1m0s');
  t.match(reg.heartbeat_secret, /^[a-z2-7]{52}$/);
  t.equal(reg.o2r.name, 'o2r');
  t.equal(reg.o2r.mime_type, 'application/json');
  t.equal(reg.o2r.url, `${uri}/ai/trickle/${reg.o2r.channel_name}`);
  t.same(reg.session_ids, []);
  t.ok(trickle.exists(reg.o2r.channel_name), 'the o2r channel exists on the trickle server');
  await trickle.until(() => (trickle.channels.get(reg.o2r.channel_name)!.segments.includes('{"keep":"alive"}') ? true : undefined), 'a keep-alive on o2r');

  const bootstrapAgain = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ ...body, runner_id: 'echo-1' }) });
  t.equal(bootstrapAgain.status, 401, 'a live runner heartbeats with its heartbeat secret, not the orchestrator secret');
  t.equal(bootstrapAgain.text, 'invalid heartbeat authorization\n');

  const session = (await call(`${uri}/apps/echo-1/session`, { method: 'POST' })).json<{ session_id: string; app_url: string }>();
  const second = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: reg.heartbeat_secret }, body: JSON.stringify({ ...body, runner_id: 'echo-1', capacity: 3 }) });
  t.equal(second.status, 200);
  const beat = second.json<Record<string, unknown>>();
  t.same(beat['session_ids'], [session.session_id], "the orchestrator's sessions come back on every heartbeat");
  t.notOk('heartbeat_secret' in beat || 'o2r' in beat, 'the credential and channel only on first registration');
  const o2rSegments = trickle.channels.get(reg.o2r.channel_name)!.segments;
  const events = () => o2rSegments.filter((s) => s.includes('"event"')).map((s) => JSON.parse(s) as { event: string; session: string });
  t.same(events().map((e) => [e.event, e.session]), [['reserved', session.session_id]], 'reserved on o2r');

  const notReady = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: reg.heartbeat_secret }, body: JSON.stringify({ ...body, runner_id: 'echo-1', status: 'draining' }) });
  t.equal(notReady.status, 200);
  t.same((await call(`${uri}/discovery`)).json<Record<string, unknown>[]>()[0]!['runners'], undefined, 'only "" or ready is discoverable');
  await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: reg.heartbeat_secret }, body: JSON.stringify({ ...body, runner_id: 'echo-1', status: 'ready' }) });

  t.equal((await call(`${uri}/runners/echo-1/unregister`, { method: 'POST', headers: { authorization: 'wrong' } })).status, 401);
  t.equal((await call(`${uri}/runners/echo-1/unregister`, { method: 'POST', headers: { authorization: reg.heartbeat_secret } })).status, 204);
  await trickle.until(() => (trickle.exists(reg.o2r.channel_name) ? undefined : true), 'the o2r channel to close');
  t.same(events().map((e) => e.event), ['reserved', 'released'], 'released on o2r (before it closed) when the runner left');
  t.equal((await call(`${session.app_url}/x`)).status, 404, 'its sessions are gone');
  t.equal((await call(`${uri}/runners/echo-1/unregister`, { method: 'POST', headers: { authorization: reg.heartbeat_secret } })).text, 'runner not found\n');
});

t.test('a runner that stops heartbeating expires with its sessions', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const { uri } = await startLiveRunnerNode(t, { config: { dynamic: true, heartbeatTtlMs: 1000 } });
  const reg = (await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ runner_url: app.url, app: 'live/ttl' }) })).json<{ runner_id: string; heartbeat_secret: string }>();
  t.match(reg.runner_id, /^runner_[a-z2-7]{8}$/, 'a generated id');
  const session = (await call(`${uri}/apps/${reg.runner_id}/session`, { method: 'POST' })).json<{ app_url: string }>();
  t.equal((await call(`${session.app_url}/x`)).status, 200);
  await until(async () => ((await call(`${uri}/discovery`)).json<Record<string, unknown>[]>()[0]!['runners'] === undefined ? true : undefined), 'the runner to expire');
  t.equal((await call(`${session.app_url}/x`)).status, 404, 'the session went with it');
  const late = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: reg.heartbeat_secret }, body: JSON.stringify({ runner_id: reg.runner_id, runner_url: app.url, app: 'live/ttl' }) });
  t.equal(late.status, 404, 'an expired runner is told to register again');
  const again = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ runner_id: reg.runner_id, runner_url: app.url, app: 'live/ttl' }) });
  t.equal(again.status, 200, 'and can, with the orchestrator secret');
});

t.test('dynamic registration is off without the flag or the secret', async (t) => {
  const { uri } = await startLiveRunnerNode(t, { config: { dynamic: false } });
  const answer = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ runner_url: 'http://127.0.0.1:1', app: 'a' }) });
  t.equal(answer.status, 404);
  t.equal(answer.text, 'dynamic live runner registration is disabled\n');
});

t.test('session callbacks: channels, proxies, stop — with the session token', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const { uri, trickle } = await startLiveRunnerNode(t, { config: { runners: [{ label: 'cb', routing: 'label', runner_url: app.url, health_url: '/health', app: 'a/b', capacity: 2 }] } });
  const session = (await call(`${uri}/apps/cb/session`, { method: 'POST' })).json<{ session_id: string; app_url: string }>();
  const seen = (await call(`${session.app_url}/who`)).json<{ headers: Record<string, string> }>().headers;
  const control = seen['livepeer-session-control']!;
  const token = { 'livepeer-session-token': seen['livepeer-session-token']! };

  const noToken = await call(`${control}/channels`, { method: 'POST', body: JSON.stringify({ channels: [{ name: 'events' }] }) });
  t.equal(noToken.status, 401);
  t.equal(noToken.text, 'invalid authorization\n');

  const created = await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [{ name: 'events', mime_type: 'application/json' }, { name: 'video/out' }] }) });
  t.equal(created.status, 200);
  const channels = created.json<{ channels: { name: string; channel_name: string; url: string; internal_url: string; mime_type: string }[] }>().channels;
  t.same(channels.map((c) => [c.name, c.mime_type]), [['events', 'application/json'], ['video-out', 'application/octet-stream']], '/ becomes -, the MIME type defaults');
  for (const c of channels) {
    t.ok(c.channel_name.startsWith(`${session.session_id}-`) && c.channel_name.endsWith(`-${c.name}`), 'named for the session, with a random part');
    t.equal(c.url, `${uri}/ai/trickle/${c.channel_name}`);
    t.ok(trickle.exists(c.channel_name));
  }
  const again = await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [{ name: 'events' }] }) });
  t.equal(again.json<{ channels: { channel_name: string }[] }>().channels[0]!.channel_name, channels[0]!.channel_name, 'existing names are idempotent');

  const tooMany = await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}` })) }) });
  t.equal(tooMany.status, 400);
  t.equal(tooMany.text, 'channels cannot contain more than 25 entries\n');
  t.equal([...trickle.channels.keys()].filter((n) => n.startsWith(session.session_id)).length, 2, 'nothing of the refused batch was created');
  t.equal((await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [] }) })).text, 'channels is required\n');
  t.equal((await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [{ name: 'x'.repeat(65) }] }) })).text, 'trickle channel name must be at most 64 characters\n');
  t.equal((await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [{ name: 'a b' }] }) })).text, 'trickle channel name may only contain alphanumerics, underscores, or hyphens\n');

  const deleted = await call(`${control}/channels`, { method: 'DELETE', headers: token, body: JSON.stringify({ channels: ['video-out'] }) });
  t.same(deleted.json(), { deleted: ['video-out'] });
  t.notOk(trickle.exists(channels[1]!.channel_name));
  t.equal((await call(`${control}/channels`, { method: 'DELETE', headers: token, body: JSON.stringify({ channels: ['video-out'] }) })).status, 404);

  const elsewhere = await call(`${control}/proxy`, { method: 'POST', headers: token, body: JSON.stringify({ target_url: 'http://example.com:9000/ui' }) });
  t.equal(elsewhere.status, 400, 'a proxy target on another host is refused');
  t.equal(elsewhere.text, 'target_url hostname must match registered runner_url hostname\n');
  t.equal((await call(`${control}/proxy`, { method: 'POST', headers: token, body: JSON.stringify({ target_url: `${app.url}/ui#frag` }) })).text, 'target_url must not include a fragment\n');
  const proxy = (await call(`${control}/proxy`, { method: 'POST', headers: token, body: JSON.stringify({ target_url: `${app.url}/ui` }) })).json<{ proxy_id: string; url: string }>();
  t.match(proxy.proxy_id, /^[a-z2-7]{26}$/);
  t.equal(proxy.url, `${uri}/run/${proxy.proxy_id}`);
  const viaProxy = (await call(`${proxy.url}/v1/status?verbose=true`)).json<{ path: string; query: string; headers: Record<string, string> }>();
  t.equal(viaProxy.path, '/ui/v1/status');
  t.equal(viaProxy.query, '?verbose=true');
  t.equal(viaProxy.headers['livepeer-session-id'], session.session_id, 'generated proxies carry the session headers');
  const defaultProxy = (await call(`${control}/proxy`, { method: 'POST', headers: token })).json<{ url: string }>();
  t.equal((await call(`${defaultProxy.url}/root`)).json<{ path: string }>().path, '/root', 'without target_url: the app itself');

  t.equal((await call(`${control}/stop`, { method: 'POST', headers: token })).status, 204, 'the runner stops its own session');
  t.notOk(trickle.exists(channels[0]!.channel_name), "the session's channels are closed");
  t.equal((await call(`${proxy.url}/x`)).status, 404, 'and its proxies forgotten');
  t.equal((await call(`${control}/stop`, { method: 'POST', headers: token })).status, 404);
});
