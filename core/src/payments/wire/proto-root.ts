/**
 * Our payment .proto, loaded once at runtime with protobufjs reflection (no codegen
 * step). Other kernel code that needs these messages inside bigger ones
 * (OrchestratorInfo) can look them up here or import the file from its own .proto.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export const PAYMENTS_PROTO_PATH = fileURLToPath(new URL('../../../proto/lp_rpc_payments.proto', import.meta.url));

let root: protobuf.Root | undefined;

export function paymentsProtoRoot(): protobuf.Root {
  root ??= protobuf.loadSync(PAYMENTS_PROTO_PATH);
  return root;
}

export function paymentsProtoType(name: 'Payment' | 'TicketParams' | 'TicketExpirationParams' | 'TicketSenderParams' | 'PriceInfo' | 'Ticket'): protobuf.Type {
  return paymentsProtoRoot().lookupType(`net.${name}`);
}
