// Live Runner with the REAL trickle plugin (the other live-runner tests use a
// test double of `trickle.channels`): a dynamic runner reads its O2R channel
// with the sdk's trickle kit over the TLS front door, makes session channels
// with its session token, publishes into one while a client subscribes, and
// the channels go with their session.
import t, { type Test } from 'tap';
import { errors } from '@lpx/sdk';
import { readSegment, TricklePublisher, TrickleSubscriber, writeSegment, type TrickleSegment } from '@lpx/sdk/trickle-kit';
import { liveRunnerPlugin } from '../../../plugins/live-runner/src/index.js';
import { tricklePlugin } from '../../../plugins/trickle/src/index.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { call } from './helpers/live-runner-client.js';
import { ORCH_SECRET, until } from './helpers/node.js';
import { startRunnerApp } from './helpers/runner-app.js';

const insecure = { insecure: true } as const;

/** The next segment of `subscriber` as text, within a bound (a test must not hang on a lost event). */
async function nextText(subscriber: TrickleSubscriber, what: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const segment = await Promise.race([
    subscriber.read(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  if (segment === undefined) throw new Error(`the channel closed while waiting for ${what}`);
  return (await (segment as TrickleSegment).bytes()).toString('utf8');
}

t.test('a dynamic runner on the real trickle server: o2r events, session channels over the front door, cleanup', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const uri = await startNode(t);
  t.match(uri, /^https:\/\//, 'the front door is TLS');

  const registered = await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ runner_id: 'echo-1', runner_url: app.url, app: 'live/echo', capacity: 1 }) });
  t.equal(registered.status, 200, registered.text);
  const reg = registered.json<{ o2r: { channel_name: string; url: string; mime_type: string } }>();
  t.equal(reg.o2r.url, `${uri}/ai/trickle/${reg.o2r.channel_name}`);

  // The runner's side: follow O2R from the segment being written on.
  const o2r = new TrickleSubscriber(reg.o2r.url, { ...insecure, start: -2 });
  t.teardown(() => o2r.close());
  const events: Record<string, unknown>[] = [];
  const nextEvent = async (what: string) => {
    for (;;) {
      const event = JSON.parse(await nextText(o2r, what)) as Record<string, unknown>;
      events.push(event);
      if (event['keep'] === undefined) return event;
    }
  };
  t.same(JSON.parse(await nextText(o2r, 'a keep-alive on o2r')), { keep: 'alive' }, 'a keep-alive arrives over the real trickle server');

  const session = await call(`${uri}/apps/echo-1/session`, { method: 'POST' });
  t.equal(session.status, 200, session.text);
  const { session_id: sessionId, app_url: appUrl, control_url: controlUrl } = session.json<{ session_id: string; app_url: string; control_url: string }>();
  t.match(await nextEvent('the reserved event'), { event: 'reserved', session: sessionId });

  const seen = (await call(`${appUrl}/who`)).json<{ headers: Record<string, string> }>().headers;
  const control = seen['livepeer-session-control']!;
  t.equal(control, `${uri}/runner/echo-1/session/${sessionId}`);
  const token = { 'livepeer-session-token': seen['livepeer-session-token']! };

  const created = await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [{ name: 'events', mime_type: 'application/json' }, { name: 'video' }] }) });
  t.equal(created.status, 200, created.text);
  const [events0, video] = created.json<{ channels: { name: string; channel_name: string; url: string; mime_type: string }[] }>().channels;
  t.equal(events0!.url, `${uri}/ai/trickle/${events0!.channel_name}`);

  // A client subscribes over the front door; the runner publishes.
  const subscriber = new TrickleSubscriber(events0!.url, { ...insecure, start: 0 });
  t.teardown(() => subscriber.close());
  const reading = nextText(subscriber, 'the published segment');
  const publisher = new TricklePublisher(events0!.url, insecure);
  t.equal(await publisher.write('{"frame":1}'), 0);
  t.equal(await reading, '{"frame":1}', 'the client reads what the runner published');
  // Kept open: the session's end (below) is what removes the channel.
  t.teardown(() => publisher.close().catch(() => undefined));
  const after = subscriber.read().then(
    (segment) => (segment === undefined ? 'closed' : 'segment'),
    (error: unknown) => (errors.trickle.CHANNEL_NOT_FOUND.is(error) ? 'closed' : String(error)),
  );

  const deleted = await call(`${control}/channels`, { method: 'DELETE', headers: token, body: JSON.stringify({ channels: ['video'] }) });
  t.same(deleted.json(), { deleted: ['video'] });
  t.ok(await gone(video!.url), 'the deleted channel is gone from the trickle server');

  const again = await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [{ name: 'events' }, { name: 'audio' }] }) });
  const live = again.json<{ channels: { name: string; url: string }[] }>().channels;
  t.equal(live[0]!.url, events0!.url, 'an existing name is the same channel');
  t.equal(await writeSegment(live[1]!.url, 'a0', insecure), 0, 'a new one takes writes over the front door');
  t.equal((await readSegment(live[1]!.url, { ...insecure, seq: 0 }))?.data.toString(), 'a0');

  t.equal((await call(`${controlUrl}/stop`, { method: 'POST' })).status, 204, 'the client stops its session');
  t.match(await nextEvent('the released event'), { event: 'released', session: sessionId });
  t.equal(await after, 'closed', "the client's subscription ends with the session");
  for (const channel of live) t.ok(await until(() => gone(channel.url), `${channel.name} to go with its session`), `${channel.name} went with the session`);
  // O2R is a trickle channel (a ring of five segments): a reader more than five keep-alives behind skips
  // to the latest and loses events, so keep-alives come slowly enough here for a loaded machine.
  if (!events.some((e) => e['keep'] === 'alive')) t.same(JSON.parse(await nextText(o2r, 'a keep-alive after the release')), { keep: 'alive' }, 'keep-alives keep coming');
  else t.pass('keep-alives kept coming');
});

/** An orchestrator with the real trickle plugin and live-runner (dynamic runners on; a TTL no loaded run outlives, the runner here never heartbeats again); its service URI. */
async function startNode(t: Test, trickle: Record<string, unknown> = {}): Promise<string> {
  const redis = await testRedis(t);
  const host = makeHost(t, [tricklePlugin, liveRunnerPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('live-runner-trickle') },
    node: { roles: ['orchestrator'] },
    orchestrator: { port: 0, secret: ORCH_SECRET },
    plugins: { trickle: { config: trickle }, 'live-runner': { config: { dynamic: true, healthIntervalMs: 100, heartbeatIntervalMs: 100, heartbeatTtlMs: 3_600_000, o2rIntervalMs: 500 } } },
  });
  await host.start();
  return host.serviceUri!;
}

t.test('a session channel the trickle server swept as idle is made again, not handed out dead', async (t) => {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const uri = await startNode(t, { idleTimeoutMs: 300, sweepIntervalMs: 100 });
  await call(`${uri}/runners/heartbeat`, { method: 'POST', headers: { authorization: ORCH_SECRET }, body: JSON.stringify({ runner_id: 'idle-1', runner_url: app.url, app: 'live/idle' }) });
  const session = (await call(`${uri}/apps/idle-1/session`, { method: 'POST' })).json<{ app_url: string }>();
  const seen = (await call(`${session.app_url}/who`)).json<{ headers: Record<string, string> }>().headers;
  const control = seen['livepeer-session-control']!;
  const token = { 'livepeer-session-token': seen['livepeer-session-token']! };
  const ask = async () => (await call(`${control}/channels`, { method: 'POST', headers: token, body: JSON.stringify({ channels: [{ name: 'events' }] }) })).json<{ channels: { url: string }[] }>().channels[0]!.url;
  const first = await ask();
  await until(() => gone(first), 'the idle channel to be swept');
  const second = await ask();
  t.not(second, first, 'a new channel for the same name');
  t.equal(await writeSegment(second, 'e0', insecure), 0, 'and it takes writes');
});

/** True when the channel no longer exists on the server (404) or is closed. */
async function gone(url: string): Promise<boolean> {
  try {
    return (await readSegment(url, { ...insecure, seq: 0 })) === undefined;
  } catch (error) {
    return errors.trickle.CHANNEL_NOT_FOUND.is(error);
  }
}
