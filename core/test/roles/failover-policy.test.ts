import t from 'tap';
import { failoverActionFor } from '../../src/roles/gateway/failover-policy.js';

t.test('expired ticket params: refresh and retry the same orchestrator', async (t) => {
  t.equal(failoverActionFor('TicketParams expired'), 'refresh-and-retry');
  t.equal(failoverActionFor('payment refused: ticketparams EXPIRED for recipient'), 'refresh-and-retry', 'case-insensitive, substring');
});

t.test('nonce clash or no capacity: try another without blame', async (t) => {
  t.equal(failoverActionFor('Invalid ticket senderNonce'), 'try-another');
  t.equal(failoverActionFor('x answered 400: invalid ticket sendernonce sender=0xabc nonce=3'), 'try-another');
  t.equal(failoverActionFor('insufficient capacity'), 'try-another');
  t.equal(failoverActionFor('503: INSUFFICIENT CAPACITY'), 'try-another');
});

t.test('anything else: suspend and try another', async (t) => {
  for (const text of ['', 'connection reset', 'job timed out after 5 s', 'Orchestrator refused', '<html>garbage', 'ticket params', 'capacity', 'insufficient funds']) {
    t.equal(failoverActionFor(text), 'suspend-and-try-another', JSON.stringify(text));
  }
});

t.test('a refresh match wins over a try-another match in the same text', async (t) => {
  t.equal(failoverActionFor('insufficient capacity; TicketParams expired'), 'refresh-and-retry');
});
