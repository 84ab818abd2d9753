/**
 * The node's in-process stream of job and payment events: what the SSE route
 * (`GET /events`) and the web dashboard read. One bus per node, found from the
 * node's metrics Registry, so every place that already records a metric can
 * also say what happened without new plumbing through the roles. Emitting is
 * synchronous and never throws into the caller: a listener that throws is
 * dropped from that emit's concern, not from the payment or job path.
 */
import type { Registry } from 'prom-client';

/** Which part of the node ran the job: a worker lane (`node`) or the gateway's routing queue (`gateway`). */
export type JobScope = 'node' | 'gateway';
export type JobPhase = 'queued' | 'started' | 'completed' | 'failed' | 'retried';

export interface JobNodeEvent {
  readonly type: 'job';
  readonly phase: JobPhase;
  readonly scope: JobScope;
  readonly capability: string;
  readonly id: string;
  /** 1-based attempt, when a processor ran. */
  readonly attempt?: number;
  /** `completed` or `failed` (a retried attempt is `failed`), on the phases that end an attempt. */
  readonly outcome?: 'completed' | 'failed';
  /** Milliseconds the attempt took, on the phases that end one. */
  readonly durationMs?: number;
  readonly error?: string;
  readonly at: number;
}

export type PaymentPhase = 'ticket_sent' | 'ticket_received' | 'ticket_winning' | 'ticket_redeemed' | 'redemption_failed';

/** Wei amounts are decimal strings: they exceed 2^53 and the event stream never rounds money. */
export interface PaymentNodeEvent {
  readonly type: 'payment';
  readonly phase: PaymentPhase;
  /** Tickets in this event (a batch sent or received; 1 for winning / redeemed). */
  readonly tickets: number;
  /** Expected value of those tickets, floor(wei) — sent / received. */
  readonly valueWei?: string;
  readonly faceValueWei?: string;
  /** What the chain paid out (redeemed), and the redemption's gas fee. */
  readonly payoutWei?: string;
  readonly gasFeeWei?: string;
  /** 0x addresses; the orchestrator's URI when the gateway knows it. */
  readonly sender?: string;
  readonly recipient?: string;
  readonly orchestrator?: string;
  readonly ticketHash?: string;
  readonly txHash?: string;
  readonly reason?: string;
  readonly at: number;
}

export type NodeEvent = JobNodeEvent | PaymentNodeEvent;
export type NodeEventType = NodeEvent['type'];
export const NODE_EVENT_TYPES: readonly NodeEventType[] = ['job', 'payment'];

export type NodeEventListener = (event: NodeEvent) => void;

export class NodeEvents {
  readonly #listeners = new Set<NodeEventListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: NodeEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  emit(event: NodeEvent): void {
    // Observers only watch: the job or payment that emitted must not fail because a listener did.
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener is the listener's problem; the SSE route guards its own writes.
      }
    }
  }
}

const buses = new WeakMap<Registry, NodeEvents>();

/** The bus of the node whose metrics Registry this is (one per Host; several hosts in a process stay apart). */
export function nodeEventsOf(registry: Registry): NodeEvents {
  let bus = buses.get(registry);
  if (bus === undefined) {
    bus = new NodeEvents();
    buses.set(registry, bus);
  }
  return bus;
}
