/**
 * The `net.Transcoder` service for the node's gRPC server: a transcoder's
 * RegisterTranscoder call becomes a pool registration whose stream stays open
 * until the transcoder goes away or the pool drops it. Refusals carry
 * go-livepeer's texts with status UNKNOWN (a plain Go error from the handler):
 * go-livepeer transcoders stop retrying on exactly `invalid secret` and
 * `zero capacity`.
 */
import type { ServerWritableStream, ServiceError, UntypedServiceImplementation } from '@grpc/grpc-js';
import { grpcRefusal } from '@lpx/sdk/wire-kit';
import type { NotifySegment, RegisterRequest } from '../wire/register-messages.js';
import type { RemoteTranscoderPool } from '../pool/remote-transcoder-pool.js';
import type { TranscoderLink } from '../pool/transcoder-entry.js';
import { transcoderServiceDefinition, type TranscoderServiceDefinition } from './transcoder-service-definition.js';

export interface TranscoderGrpcService {
  readonly definition: TranscoderServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface TranscoderGrpcServiceOptions {
  /** Every refused registration, for logs and metrics. */
  readonly onError?: (error: unknown) => void;
}

type RegisterCall = ServerWritableStream<RegisterRequest, NotifySegment>;

function peerOf(call: RegisterCall): string {
  // Behind the front door the grpc-js peer is loopback; the proxy passes the real one on.
  const forwarded = call.metadata.get('x-forwarded-for')[0];
  return typeof forwarded === 'string' && forwarded !== '' ? forwarded : call.getPeer();
}

function linkFor(call: RegisterCall): TranscoderLink {
  return {
    peer: peerOf(call),
    send: (notify) => {
      if (call.cancelled || call.destroyed || call.writableEnded) return false;
      call.write(notify);
      return true;
    },
    end: () => {
      if (!call.writableEnded && !call.destroyed) call.end();
    },
  };
}

export function createTranscoderGrpcService(pool: RemoteTranscoderPool, options: TranscoderGrpcServiceOptions = {}): TranscoderGrpcService {
  const registerTranscoder = (call: RegisterCall): void => {
    const link = linkFor(call);
    try {
      pool.register(call.request, link);
    } catch (error) {
      options.onError?.(error);
      call.emit('error', grpcRefusal(error) as ServiceError);
      return;
    }
    let gone = false;
    const unregister = (): void => {
      if (gone) return;
      gone = true;
      pool.unregister(link);
    };
    call.on('cancelled', unregister);
    call.on('close', unregister);
    call.on('finish', unregister);
    call.on('error', unregister);
  };
  return { definition: transcoderServiceDefinition, implementation: { RegisterTranscoder: registerTranscoder } };
}
