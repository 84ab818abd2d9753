// Which orchestrator 4xx answers blame the client's request (ADR 0049).
import t from 'tap';
import { errors } from '@lpx/sdk';
import { requestRefusal } from '../../src/network/byoc/index.js';

const refused = (status: number, text: string, code?: string) =>
  errors.orchestrator.JOB_REFUSED.create(`https://o answered ${status}: ${text}`, { details: { url: 'https://o/process/request/', status, text, retry: 'suspend', ...(code !== undefined ? { code } : {}) } });

t.test("an lpx code outside the orchestrator and payments areas keeps its code and the orchestrator's status", async (t) => {
  t.match(requestRefusal(refused(400, 'app echo: /text must be string', errors.byoc.INPUT_INVALID.code)), { code: errors.byoc.INPUT_INVALID.code, status: 400, message: 'app echo: /text must be string' });
});

t.test("payment and credential codes stay the gateway's business", async (t) => {
  t.equal(requestRefusal(refused(400, 'Insufficient balance for request', errors.payments.INSUFFICIENT_BALANCE.code)), undefined);
  t.equal(requestRefusal(refused(400, 'bad sig', errors.orchestrator.JOB_REQUEST_SIG_INVALID.code)), undefined);
  t.equal(requestRefusal(refused(409, 'job id reused', errors.orchestrator.JOB_ID_CONFLICT.code)), undefined);
});

t.test("without a code: go-livepeer's orchestrator texts are the gateway's business, any other 4xx is the app's", async (t) => {
  for (const text of ['Insufficient balance for request', 'Could not parse payment', 'Could not verify job creds', 'no timeout_seconds set with request, timeout_seconds is required', 'TicketParams expired']) {
    t.equal(requestRefusal(refused(400, text)), undefined, text);
  }
  t.match(requestRefusal(refused(422, 'prompt missing')), { code: errors.gateway.REQUEST_REFUSED.code, status: 422, message: 'prompt missing' });
  t.match(requestRefusal(refused(404, '')), { code: errors.gateway.REQUEST_REFUSED.code, status: 404, message: 'the orchestrator answered 404' });
});

t.test('5xx, transport failures and other errors are not request refusals', async (t) => {
  t.equal(requestRefusal(refused(500, 'worker exploded')), undefined);
  t.equal(requestRefusal(errors.orchestrator.JOB_UNREACHABLE.create('down')), undefined);
  t.equal(requestRefusal(new Error('x')), undefined);
});
