/**
 * The gateway's side of a Live Runner payment: a SegmentPayments session
 * (mirror balance per orchestrator recipient and manifest id, tickets from
 * the gateway's TicketSender, the tenant charged before tickets exist) opened
 * on the challenge's OrchestratorInfo, behind the client's LivePaymentPort.
 *
 * The session's first price is its price for good (go-livepeer debits every
 * interval at the reservation payment's expected price, and a signer caps a
 * session at its first payment's price): fees and debits are computed at
 * that price even when a PaymentResult brings params quoted at another one
 * (those only bind the tickets).
 */
import { emptySegmentHeader } from '../../network/segment/empty-segment-header.js';
import type { PersonalSigner, OrchestratorInfo } from '../../network/index.js';
import type { LiveRunnerChallenge, LivePaymentPort } from '../../network/live-runner/index.js';
import { Rational } from '../../payments/index.js';
import type { ChargeTenant, SegmentPayments } from './segment-payments.js';

export interface LivePayerDeps {
  readonly payments: SegmentPayments;
  readonly signer: PersonalSigner;
  readonly charge?: ChargeTenant | undefined;
}

export interface LivePayer {
  readonly port: LivePaymentPort;
  /** Ends the ticket session (after the payment loop stopped). */
  close(): void;
}

export function livePayer(deps: LivePayerDeps, uri: string, challenge: LiveRunnerChallenge): LivePayer {
  const session = deps.payments.open(uri, challenge.info);
  const firstPrice = challenge.price;
  const port: LivePaymentPort = {
    async prepare(units) {
      const current = session.info.priceInfo!;
      // fee = units × multiplier × current price = units × first price.
      const multiplier = Rational.of(firstPrice * current.pixelsPerUnit, current.pricePerUnit);
      const prepared = await deps.payments.prepareUnits(session, units, multiplier, deps.charge);
      return {
        header: prepared.header,
        numTickets: prepared.numTickets,
        sent: () => prepared.sent(),
        settle: (used) => prepared.settleAmount(Rational.of(firstPrice * used)),
        abort: () => prepared.abort(),
      };
    },
    segmentHeader: () => emptySegmentHeader({ manifestId: challenge.manifestId, authToken: session.info.authToken, signer: deps.signer }),
    adopt(info: OrchestratorInfo) {
      // Params without a price, or a price of 0, would make the next payments free: keep the current ones.
      if (info.ticketParams === undefined || info.priceInfo === undefined || info.priceInfo.pricePerUnit <= 0n || info.priceInfo.pixelsPerUnit <= 0n) return;
      deps.payments.adopt(session, { ...info, ...(session.info.authToken !== undefined ? { authToken: session.info.authToken } : {}) });
    },
  };
  return { port, close: () => deps.payments.close(session) };
}
