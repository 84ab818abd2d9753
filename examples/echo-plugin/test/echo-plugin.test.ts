import t from 'tap';
import { startTestHost } from '@lpx/sdk/testing';
import exampleEchoPlugin from '../src/index.js';

t.test('the echo plugin handles its jobs on the real kernel', async (t) => {
  const host = await startTestHost({ plugins: [exampleEchoPlugin], config: { plugins: { 'example-echo': { config: { uppercase: true } } } } });
  t.teardown(() => host.stop());

  const res = await host.inject({ method: 'POST', url: '/plugins/example-echo/echo', payload: { text: 'hello' } });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { text: 'HELLO', length: 5 });

  const { id } = await host.jobs.submit('byoc/echo', { text: 'queued' }, { jobId: 'echo-queued-1' });
  t.equal(id, 'echo-queued-1');
  const result = await host.jobs.submitAndWait('byoc/echo', { text: 'other text is ignored' }, { jobId: id });
  t.match(result, { text: 'QUEUED' }, 'the same job id returns the same job');
  const status = await host.inject({ method: 'GET', url: `/plugins/example-echo/jobs/${id}` });
  t.match(status.json(), { id, state: 'completed' });

  t.equal(host.capabilities.get('byoc/echo')?.capacity, 4, 'capacity from the manifest');
});

t.test('bad input is refused with a clear error and the node keeps serving', async (t) => {
  const host = await startTestHost({ plugins: [exampleEchoPlugin] });
  t.teardown(() => host.stop());
  const missing = await host.inject({ method: 'POST', url: '/plugins/example-echo/echo', payload: { txt: 'typo' } });
  t.equal(missing.statusCode, 400);
  t.match(missing.json(), { code: 'LPX_ERR_HTTP_BAD_REQUEST', detail: /text/ });
  await t.rejects(host.jobs.submitAndWait('byoc/echo', { nope: 1 }, { attempts: 1 }), { code: 'LPX_ERR_JOBS_FAILED', message: /job data must be/ });
  const unknown = await host.inject({ method: 'GET', url: '/plugins/example-echo/jobs/does-not-exist' });
  t.equal(unknown.statusCode, 404);
  const ok = await host.inject({ method: 'POST', url: '/plugins/example-echo/echo', payload: { text: 'still here' } });
  t.match(ok.json(), { text: 'still here' });
});

t.test('an invalid config slice stops the test host from booting', async (t) => {
  await t.rejects(startTestHost({ plugins: [exampleEchoPlugin], config: { plugins: { 'example-echo': { config: { concurrency: 0 } } } } }), {
    code: 'LPX_ERR_CONFIG_INVALID',
    message: /plugins\.example-echo\.config\.concurrency: expected a number >= 1/,
  });
});
