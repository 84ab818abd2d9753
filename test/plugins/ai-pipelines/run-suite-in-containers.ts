import type { Test } from 'tap';
import type { AIPipelineName } from '@lpx/sdk';
import { aiPipelineSamples, aiPipelineSuite, runConformanceSuite } from '@lpx/sdk/testing';
import { referenceRunnerImage } from '../../helpers/reference-runner-image.js';
import { startRunnerContainer } from '../ai-runners/reference-image/containers.js';
import { PIPELINES } from './pipelines.js';

/**
 * Runs aiPipelineSuite for each named pipeline against its own reference
 * runner container (PIPELINE and MODEL_ID as go-livepeer sets them, the
 * pipeline's default model), one container at a time on the shared engine.
 */
export async function suiteInContainers(t: Test, names: readonly AIPipelineName[]): Promise<void> {
  const { ref, runtime } = await referenceRunnerImage(t);
  for (const name of names) {
    await t.test(name, async (t) => {
      const pipeline = PIPELINES[name];
      const container = await startRunnerContainer(t, runtime, ref, { PIPELINE: name, MODEL_ID: pipeline.defaultModel });
      const started = Date.now();
      const report = await runConformanceSuite(aiPipelineSuite({ pipeline: name, runner: { baseUrl: container.url }, samples: await aiPipelineSamples(name) }), () => pipeline);
      t.same(report.failed, [], 'no case fails');
      t.comment(`${name}: ${report.passed.length} cases in ${Date.now() - started} ms (cold start ${container.coldStartMs} ms)`);
    });
  }
}
