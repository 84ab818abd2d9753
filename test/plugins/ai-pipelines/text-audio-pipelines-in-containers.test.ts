import t from 'tap';
import { suiteInContainers } from './run-suite-in-containers.js';

// The pipelines that answer text or audio, each against a real reference runner container.
t.test('aiPipelineSuite: text and audio pipelines against reference runner containers', (t) =>
  suiteInContainers(t, ['audio-to-text', 'llm', 'image-to-text', 'text-to-speech']));
