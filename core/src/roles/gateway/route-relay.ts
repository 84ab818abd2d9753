/**
 * A route job's live answer to its synchronous caller: the lines of an
 * orchestrator's event stream, through the job's Redis stream
 * (JobContext.stream, core/src/jobs/stream-relay.ts) to the gateway process
 * that holds the caller's connection. The stream opens with the first line,
 * not with the orchestrator's headers, so an orchestrator that fails before
 * sending anything can still be replaced; once a line has gone out, the
 * caller has seen this orchestrator's answer and no other may be tried.
 */
import type { JobStream } from '@lpx/sdk';

export class RouteRelay {
  readonly #open: (headers: Readonly<Record<string, string>>) => JobStream;
  #stream: JobStream | undefined;

  constructor(open: (headers: Readonly<Record<string, string>>) => JobStream) {
    this.#open = open;
  }

  /** A line has gone to the caller: failover is over. */
  get opened(): boolean {
    return this.#stream !== undefined;
  }

  async line(line: string, headers: Readonly<Record<string, string>>): Promise<void> {
    this.#stream ??= this.#open(headers);
    await this.#stream.write(line);
  }

  async end(headers: Readonly<Record<string, string>>): Promise<void> {
    // An empty stream still opens, so the caller gets the headers and a proper end.
    this.#stream ??= this.#open(headers);
    await this.#stream.end();
  }
}
