import { RunnerConfigError, startReferenceRunner } from './runner.js';

/** The container's entry point (bundled to one file for Debian's Node 18). */
try {
  const runner = await startReferenceRunner(process.env);
  const shutdown = (): void => {
    void runner.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  console.error(error instanceof RunnerConfigError ? `EnvironmentError: ${error.message}` : error);
  process.exit(1);
}
