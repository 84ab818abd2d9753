/**
 * The live feed's lines from the node's event stream (docs/metrics.md, `GET /events`): a job's
 * events (queued, started, retried, completed / failed) fold into one line that changes in place,
 * so a busy node shows jobs rather than a scroll of phases; payment events stay a line each.
 * Pure functions of their inputs: the page calls them, the unit test calls them the same way.
 */

/** Lines the feed keeps; a new one past this pushes the oldest out. */
export const MAX_LINES = 30;
/** Phases a job line lists; a job retried many times shows its latest ones. */
const MAX_PHASES = 6;

/** What a job line remembers between its events. */
export interface JobLineState {
  readonly capability: string;
  readonly id: string;
  readonly scope?: string;
  readonly phases: readonly string[];
  readonly attempt?: number;
  readonly durationMs?: number;
  readonly error?: string;
}

/** One line of the live feed: from the events stream, or a change seen between two polls. */
export interface FeedItem {
  readonly at: string;
  readonly kind: 'job' | 'payment' | 'node';
  readonly text: string;
  /** Lines with the same key are one line: a job's (`job:<scope>:<id>`). None: a line of its own. */
  readonly key?: string;
  readonly job?: JobLineState;
}

/** The feed line for one event of the stream; `receivedAt` stands in when the event has no `at`. */
export function eventItem(kind: 'job' | 'payment', data: string, receivedAt: string): FeedItem {
  const value = parseObject(data);
  const at = typeof value?.['at'] === 'number' && Number.isFinite(value['at']) ? new Date(value['at']).toISOString() : receivedAt;
  if (kind === 'job' && value !== undefined && typeof value['id'] === 'string' && typeof value['capability'] === 'string') {
    const scope = typeof value['scope'] === 'string' ? value['scope'] : undefined;
    const job: JobLineState = {
      capability: value['capability'],
      id: value['id'],
      ...(scope !== undefined ? { scope } : {}),
      phases: typeof value['phase'] === 'string' ? [value['phase']] : [],
      ...numberField(value, 'attempt'),
      ...numberField(value, 'durationMs'),
      ...(typeof value['error'] === 'string' ? { error: value['error'] } : {}),
    };
    return { at, kind, text: jobText(job), key: `job:${scope ?? ''}:${job.id}`, job };
  }
  return { at, kind, text: summarize(data) };
}

/**
 * The feed after `item`: a line with the item's key is updated where it stands (its phases
 * extended, its time and details the latest); anything else goes on top. At most `max` lines.
 */
export function foldLine(lines: readonly FeedItem[], item: FeedItem, max = MAX_LINES): FeedItem[] {
  const index = item.key === undefined ? -1 : lines.findIndex((line) => line.key === item.key);
  if (index < 0) return [item, ...lines].slice(0, max);
  const merged = mergeJob(lines[index]!, item);
  return lines.map((line, i) => (i === index ? merged : line));
}

function mergeJob(line: FeedItem, item: FeedItem): FeedItem {
  if (line.job === undefined || item.job === undefined) return item;
  const phases = [...line.job.phases];
  for (const phase of item.job.phases) if (phases[phases.length - 1] !== phase) phases.push(phase);
  // A later attempt's start clears the previous attempt's error and duration: they described that attempt.
  const restarted = item.job.phases.includes('started');
  const job: JobLineState = {
    ...(restarted ? { capability: line.job.capability, id: line.job.id, ...(line.job.scope !== undefined ? { scope: line.job.scope } : {}) } : line.job),
    ...item.job,
    phases: phases.slice(-MAX_PHASES),
  };
  return { ...item, text: jobText(job), job };
}

/** `byoc/echo · queued → started → completed · attempt 2 · 12 ms · dd26c2e0…`. */
export function jobText(job: JobLineState): string {
  const parts = [job.capability];
  if (job.scope === 'gateway') parts.push('request');
  if (job.phases.length > 0) parts.push(job.phases.join(' → '));
  if (job.attempt !== undefined && job.attempt > 1) parts.push(`attempt ${job.attempt}`);
  if (job.durationMs !== undefined) parts.push(`${Math.round(job.durationMs)} ms`);
  if (job.error !== undefined) parts.push(clip(job.error, 80));
  // A uuid would wrap the line; its first 8 characters tell jobs apart at a glance (the card's tooltip has it whole).
  parts.push(job.id.length > 12 ? `${job.id.slice(0, 8)}…` : job.id);
  return parts.join(' · ');
}

/** A short line from an event's JSON: the fields operators look for first, else the raw text. */
export function summarize(data: string): string {
  const value = parseObject(data);
  if (value !== undefined) {
    // The node's event shapes (docs/metrics.md): jobs carry phase and capability, payments phase and wei as decimal strings.
    const parts = ['capability', 'phase', 'outcome', 'orchestrator', 'id']
      .map((key) => value[key])
      .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
      .filter((v, i, all) => all.indexOf(v) === i); // a completed job's outcome repeats its phase
    for (const [key, label] of [['valueWei', 'value'], ['payoutWei', 'paid'], ['tickets', 'tickets']] as const) {
      const v = value[key];
      if (typeof v === 'string' || typeof v === 'number') parts.push(key === 'tickets' ? `${v} tickets` : `${label} ${v} wei`);
    }
    if (parts.length > 0) return parts.join(' · ');
  }
  return clip(data, 120);
}

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not JSON: shown as sent
  }
}

function numberField<K extends 'attempt' | 'durationMs'>(value: Record<string, unknown>, key: K): Partial<Record<K, number>> {
  const v = value[key];
  return typeof v === 'number' && Number.isFinite(v) ? ({ [key]: v } as Partial<Record<K, number>>) : {};
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
