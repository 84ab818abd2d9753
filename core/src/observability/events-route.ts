/**
 * `GET /events`: the node's job and payment events as Server-Sent Events
 * (`event: <type>` + `data: <json>`), comment heartbeats so proxies and
 * clients see a live connection, and `?types=job,payment` to subscribe to
 * fewer types (names it does not know are ignored, so a newer client works
 * against an older node). A client that reads slower than events come is
 * disconnected once its unsent output passes `maxBufferedBytes`: memory stays
 * bounded, the drop is counted, and the client knows (its stream ended) that
 * it missed events — EventSource reconnects by itself (ADR 0056).
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { counterOf, gaugeOf } from './metric-kit.js';
import { NODE_EVENT_TYPES, nodeEventsOf, type NodeEventType } from './node-events.js';
import { eventsRouteSchema } from './observability-route-schemas.js';

export interface EventsRouteOptions {
  readonly metrics: Registry;
  /** Comment line interval; default 15 s (below common 30–60 s proxy idle timeouts). */
  readonly heartbeatMs?: number;
  /** Unsent bytes a client may have queued before it is cut off; default 1 MiB. */
  readonly maxBufferedBytes?: number;
}

export const EVENTS_PATH = '/events';

function parseTypes(raw: unknown): ReadonlySet<NodeEventType> {
  if (typeof raw !== 'string' || raw.trim() === '') return new Set(NODE_EVENT_TYPES);
  const asked = new Set(raw.split(',').map((part) => part.trim()));
  return new Set(NODE_EVENT_TYPES.filter((type) => asked.has(type)));
}

export function registerEventsRoute(app: FastifyInstance, options: EventsRouteOptions): void {
  const events = nodeEventsOf(options.metrics);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const sent = counterOf(options.metrics, 'lpx_events_sent_total', 'Events written to /events clients, by type.', ['type']);
  const cutOff = counterOf(options.metrics, 'lpx_events_slow_clients_disconnected_total', '/events clients disconnected because their unsent output passed the buffer bound (they read too slowly).', []);
  const clients = gaugeOf(options.metrics, 'lpx_events_clients', 'Clients connected to /events.', []);

  app.get(EVENTS_PATH, { schema: eventsRouteSchema }, (request, reply) => {
    const types = parseTypes((request.query as Record<string, unknown> | undefined)?.['types']);
    // The stream outlives fastify's reply cycle: we own the socket from here.
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write(`: lpx events (${[...types].join(',') || 'none'})\n\n`);
    clients.inc();
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      unsubscribe();
      clearInterval(heartbeat);
      clients.dec();
    };
    const unsubscribe = events.subscribe((event) => {
      if (!open || !types.has(event.type)) return;
      if (res.writableLength > maxBuffered) {
        cutOff.inc();
        close();
        res.destroy();
        return;
      }
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      sent.inc({ type: event.type });
    });
    const heartbeat = setInterval(() => {
      if (open) res.write(': heartbeat\n\n');
    }, heartbeatMs);
    heartbeat.unref();
    res.on('close', close);
    res.on('error', close);
  });
}
