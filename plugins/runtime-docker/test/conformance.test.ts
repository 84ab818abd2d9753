import t from 'tap';
import { containerRuntimeSuite, runConformanceSuite } from '@lpx/sdk/testing';
import { createDockerRuntime } from '../src/index.js';
import { testDocker } from '../../../test/helpers/docker.js';

t.test('the sdk container runtime conformance suite against the docker runtime on the shared test engine', async (t) => {
  const { dockerHost } = await testDocker(t);
  const dataDir = t.testdir();
  const make = () => createDockerRuntime({ host: dockerHost, dataDir });
  const report = await runConformanceSuite(containerRuntimeSuite({ reopen: make, workDir: t.testdir() }), make);
  t.same(report.failed, [], 'no case failed');
  t.ok(report.passed.length >= 11, `${report.passed.length} cases passed`);
});
