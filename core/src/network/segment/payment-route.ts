/**
 * `POST /payment` (go-livepeer's payment-only route): a gateway tops up its
 * credit without a segment, sending the same two headers as /segment with
 * credentials for an empty segment. The credit goes to (sender,
 * SegData.manifestId) — not the auth session id /segment uses — and the
 * reply is a protobuf PaymentResult with fresh ticket params.
 */
import type { FastifyInstance } from 'fastify';
import { acceptPaidRequest, type PaidRouteDeps } from './paid-request.js';
import { passBodyThrough } from './request-body.js';
import { encodePaymentResult } from './transcode-result-codec.js';
import { paymentRouteSchema } from '../wire-route-schemas.js';

export type PaymentRouteDeps = PaidRouteDeps;

export const PAYMENT_ROUTE_PATH = '/payment';

/** Registers the route in its own encapsulated scope (it replaces that scope's body parsers). */
export function registerPaymentRoute(app: FastifyInstance, deps: PaymentRouteDeps): void {
  app.register(async (scope) => {
    passBodyThrough(scope);
    scope.post(PAYMENT_ROUTE_PATH, { schema: paymentRouteSchema }, async (request, reply) => {
      const paid = await acceptPaidRequest(request, reply, deps, (credentials) => credentials.manifestId);
      if (paid === undefined) return reply;
      // The body is empty by protocol; nothing in it is read.
      return reply.code(200).header('content-type', 'application/octet-stream').send(Buffer.from(encodePaymentResult(paid.info)));
    });
  });
}
