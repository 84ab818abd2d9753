/** Assertions a conformance case may use; a failure throws ConformanceFailure. */
export interface ConformanceAssert {
  ok(condition: unknown, message: string): void;
  equal<T>(actual: T, expected: T, message: string): void;
  rejects(promise: Promise<unknown>, message: string): Promise<unknown>;
}

export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

export interface ConformanceCase<Subject> {
  readonly name: string;
  run(subject: Subject, assert: ConformanceAssert): void | Promise<void>;
}

export interface ConformanceSuite<Subject> {
  readonly extensionPoint: string;
  readonly cases: readonly ConformanceCase<Subject>[];
}

export interface ConformanceReport {
  readonly extensionPoint: string;
  readonly passed: string[];
  readonly failed: { name: string; error: string }[];
}

export function defineConformanceSuite<Subject>(suite: ConformanceSuite<Subject>): ConformanceSuite<Subject> {
  return suite;
}

const assert: ConformanceAssert = {
  ok(condition, message) {
    if (!condition) throw new ConformanceFailure(message);
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) {
      throw new ConformanceFailure(`${message}: expected ${String(expected)}, got ${String(actual)}`);
    }
  },
  async rejects(promise, message) {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new ConformanceFailure(`${message}: expected a rejection`);
  },
};

/**
 * Runs every case against a fresh subject (a factory, so cases cannot leak
 * state into each other) and reports instead of throwing: the caller's test
 * runner decides how to show failures.
 */
export async function runConformanceSuite<Subject>(
  suite: ConformanceSuite<Subject>,
  makeSubject: () => Subject | Promise<Subject>,
): Promise<ConformanceReport> {
  const report: ConformanceReport = { extensionPoint: suite.extensionPoint, passed: [], failed: [] };
  for (const testCase of suite.cases) {
    try {
      await testCase.run(await makeSubject(), assert);
      report.passed.push(testCase.name);
    } catch (error) {
      report.failed.push({ name: testCase.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
