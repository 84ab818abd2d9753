/**
 * The app behind the Live Runner double's runners (a TEST DOUBLE of any
 * HTTP app a runner exposes): `GET /hello` (JSON with the Livepeer session
 * header it received and the query), `POST /echo`, `GET /events` (three
 * server-sent events), `GET /fail` (its own 500), and a WebSocket echo.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { Test } from 'tap';

/** The app behind the runners: JSON, an echo, and server-sent events. */
export async function startLiveApp(t: Test, onRequest: () => void): Promise<{ uri: string }> {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
  app.addHook('onRequest', async () => {
    onRequest();
  });
  app.get('/hello', async (request) => ({ hello: 'world', session: request.headers['livepeer-session-id'] ?? null, query: request.query }));
  app.post('/echo', async (request, reply) => reply.type(String(request.headers['content-type'] ?? 'application/octet-stream')).send(request.body));
  app.get('/events', async (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let i = 0; i < 3; i++) {
      reply.raw.write(`data: ${JSON.stringify({ n: i })}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    reply.raw.end();
  });
  app.get('/fail', async (_request, reply) => reply.status(500).send({ app: 'failed' }));
  // A WebSocket echo (one unfragmented frame per message, short payloads: enough for the tests).
  app.server.on('upgrade', (request, socket) => {
    onRequest();
    const accept = createHash('sha1').update(`${String(request.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`);
    socket.on('data', (frame: Buffer) => {
      const opcode = frame[0]! & 0x0f;
      const length = frame[1]! & 0x7f;
      const mask = frame.subarray(2, 6);
      const payload = Buffer.from(frame.subarray(6, 6 + length).map((b, i) => b ^ mask[i % 4]!));
      if (opcode === 0x8) return socket.end(Buffer.from([0x88, 0]));
      socket.write(Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]));
    });
    socket.on('error', () => socket.destroy());
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return { uri: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}
