/**
 * /health as ai-runner reports it. The real batch runner only listens once its
 * model is loaded and then says OK; its live runners say LOADING, then IDLE
 * when nothing runs and OK while busy. go-livepeer takes a container that
 * said LOADING out of its pool until it says IDLE, so a runner that reports
 * LOADING must later report IDLE: this one listens from the start, says
 * LOADING while its engine is checked, then IDLE/OK by requests in flight,
 * and ERROR (with the reason in its log) when the engine cannot run.
 */
export type HealthStatus = 'LOADING' | 'OK' | 'IDLE' | 'ERROR';

export class RunnerHealth {
  private phase: 'loading' | 'ready' | 'failed' = 'loading';
  private inFlight = 0;
  private reason: string | undefined;

  status(): HealthStatus {
    if (this.phase === 'loading') return 'LOADING';
    if (this.phase === 'failed') return 'ERROR';
    return this.inFlight > 0 ? 'OK' : 'IDLE';
  }

  get failure(): string | undefined {
    return this.reason;
  }

  ready(): void {
    this.phase = 'ready';
  }

  failed(reason: string): void {
    this.phase = 'failed';
    this.reason = reason;
  }

  /** Counts a request until the returned function is called (once). */
  begin(): () => void {
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
    };
  }
}
