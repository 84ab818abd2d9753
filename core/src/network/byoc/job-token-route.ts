/**
 * `GET /process/token` (go-livepeer GetJobToken): proves the gateway's address
 * from `Livepeer-Eth-Address`, then answers price, ticket params bound to that
 * price, the sender's current balance for the capability and free capacity.
 */
import { errors } from '@lpx/sdk';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignatureVerifier, type TicketParams } from '../../payments/index.js';
import type { JobRoutesDeps } from './byoc-types.js';
import { decodeEthAddressHeader, verifyEthAddressHeader, type JobSender } from './eth-address-header.js';
import { headerValue, refuse, refuseError } from './http-refusal.js';
import { balanceHeader, unitPrice } from './job-payment-gate.js';
import { encodeJobToken } from './job-token.js';

export function jobTokenHandler<R>(deps: JobRoutesDeps<R>) {
  const verifier = deps.verifier ?? new SignatureVerifier();
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let jobSender: JobSender;
    let sender: Uint8Array;
    try {
      jobSender = decodeEthAddressHeader(headerValue(request.headers['livepeer-eth-address']));
      sender = verifyEthAddressHeader(jobSender, verifier);
    } catch (error) {
      return refuseError(reply, error);
    }
    const capability = headerValue(request.headers['livepeer-capability'])?.trim() ?? '';
    if (capability === '') {
      const code = errors.orchestrator.CAPABILITY_MISSING;
      return refuse(reply, code.status, 'Job capabilities not provided, must provide comma separated capabilities in Livepeer-Capability header', code.code);
    }

    const quoted = deps.priceFor(capability, sender) ?? { pricePerUnit: 0n, pixelsPerUnit: 1n };
    let ticketParams: TicketParams | undefined;
    if (deps.payments !== undefined) {
      try {
        ticketParams = await deps.payments.recipient.ticketParams(sender, unitPrice(quoted));
      } catch (error) {
        // go-livepeer: 503 for an under-funded sender reserve (try later / elsewhere), 400 otherwise.
        const status = errors.payments.INSUFFICIENT_RESERVE.is(error) ? 503 : errors.orchestrator.TOKEN_UNAVAILABLE.status;
        return refuseError(reply, error, status, 'Could not get ticket params err=');
      }
    }
    const body = encodeJobToken({
      senderAddress: jobSender,
      ...(ticketParams === undefined ? {} : { ticketParams }),
      balance: BigInt(await balanceHeader(deps.payments, sender, capability)),
      price: quoted,
      serviceAddr: deps.serviceAddr(),
      availableCapacity: BigInt(Math.max(0, Math.trunc(deps.availableCapacity(capability)))),
    });
    return reply.code(200).header('content-type', 'application/json').send(body);
  };
}
