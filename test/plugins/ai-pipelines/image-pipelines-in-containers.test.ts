import t from 'tap';
import { suiteInContainers } from './run-suite-in-containers.js';

// The pipelines whose input or output is an image, each against a real reference runner container.
t.test('aiPipelineSuite: image pipelines against reference runner containers', (t) =>
  suiteInContainers(t, ['text-to-image', 'image-to-image', 'image-to-video', 'upscale', 'segment-anything-2']));
