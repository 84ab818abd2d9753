// The HTTP edges' request loggers are made only when a request logs: a
// request that logs still carries its reqId (and the parent's bindings) in
// every line; one that does not costs no pino child at all.
import t from 'tap';
import { Writable } from 'node:stream';
import { fastify, LogController, type FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { lazyChildLoggerFactory } from '../../src/http/lazy-request-logger.js';

t.test('a request that logs gets its reqId; one that does not makes no child logger', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const base = pino({ level: 'info' }, sink).child({ component: 'http' });
  // Counts every pino child made, whichever logger fastify hands the factory.
  let children = 0;
  const proto = Object.getPrototypeOf(base) as { child: typeof base.child };
  const child = proto.child;
  proto.child = function (this: typeof base, ...args: Parameters<typeof base.child>) {
    children++;
    return child.apply(this, args);
  } as typeof base.child;
  t.teardown(() => {
    proto.child = child;
  });
  const app = fastify({ loggerInstance: base as unknown as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), childLoggerFactory: lazyChildLoggerFactory });
  t.teardown(() => app.close());
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/loud', async (request) => {
    request.log.warn({ detail: 'x' }, 'something to say');
    request.log.info('twice');
    return { ok: true };
  });
  await app.ready();
  const made = children;
  for (let i = 0; i < 5; i++) t.equal((await app.inject({ url: '/quiet' })).statusCode, 200);
  t.equal(children, made, 'five quiet requests made no child logger');
  t.equal(lines.length, 0, 'and wrote nothing');
  t.equal((await app.inject({ url: '/loud' })).statusCode, 200);
  t.equal(children, made + 1, 'a request that logs makes its child once, however often it logs');
  await new Promise((resolve) => setImmediate(resolve)); // the sink takes a buffered write a tick later
  t.equal(lines.length, 2);
  t.match(lines[0], { level: 40, msg: 'something to say', detail: 'x', component: 'http', reqId: /^req-/ }, 'the line has the reqId and the parent bindings');
  t.equal(lines[1]!['reqId'], lines[0]!['reqId'], 'both lines of one request name the same request');
  t.equal(app.log.level, 'info');
});
