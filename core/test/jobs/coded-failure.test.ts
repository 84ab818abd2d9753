// A coded error through a BullMQ failure text and back (ADR 0049).
import t from 'tap';
import { errors } from '@lpx/sdk';
import { codedErrorOf, errorFromReason, failureReason, finalFailure } from '../../src/jobs/coded-failure.js';

t.test('code and detail round-trip; the status only when it is not the code\'s own', async (t) => {
  const own = errors.byoc.INPUT_INVALID.create('app echo: /text must be string');
  t.equal(failureReason(own), 'LPX_ERR_BYOC_INPUT_INVALID: app echo: /text must be string');
  const back = errorFromReason(failureReason(own));
  t.match(back, { code: own.code, status: 400, message: own.message });

  const other = errors.gateway.REQUEST_REFUSED.create('prompt missing', { status: 422 });
  t.equal(failureReason(other), 'LPX_ERR_GATEWAY_REQUEST_REFUSED (422): prompt missing');
  t.match(errorFromReason(failureReason(other)), { code: other.code, status: 422, message: 'prompt missing' });
  const wrapped = finalFailure(other);
  t.equal(wrapped.name, 'UnrecoverableError');
  t.equal(wrapped.message, failureReason(other));
});

t.test('texts that name no catalogue code stay uncoded', async (t) => {
  t.equal(errorFromReason('no orchestrator completed byoc/echo job 1 after 3 tries'), undefined);
  t.equal(errorFromReason('LPX_ERR_NOT_A_REAL_CODE: nope'), undefined);
  t.equal(errorFromReason('LPX_ERR_BYOC_INPUT_INVALID without a colon'), undefined);
});

t.test("LPX_ERR_JOBS_FAILED gives up the coded error in its reason; anything else is returned as is", async (t) => {
  const failed = errors.jobs.FAILED.create('job 1 on byoc/echo failed: LPX_ERR_BYOC_INPUT_INVALID: bad', { details: { reason: 'LPX_ERR_BYOC_INPUT_INVALID: bad' } });
  t.match(codedErrorOf(failed), { code: errors.byoc.INPUT_INVALID.code, status: 400, message: 'bad' });
  const plain = errors.jobs.FAILED.create('job 1 failed: boom', { details: { reason: 'boom' } });
  t.equal(codedErrorOf(plain), plain);
  const timeout = errors.jobs.TIMEOUT.create('slow');
  t.equal(codedErrorOf(timeout), timeout);
});
