import t from 'tap';
import { checkRoutes } from './route-cases.js';

t.test('image pipelines answer their routes with the runner\'s response shapes, in real containers', (t) =>
  checkRoutes(t, ['text-to-image', 'image-to-image', 'image-to-video', 'upscale', 'segment-anything-2']));
