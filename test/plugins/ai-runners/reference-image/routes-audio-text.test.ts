import t from 'tap';
import { checkRoutes } from './route-cases.js';

t.test('audio, text and llm pipelines answer their routes with the runner\'s response shapes, in real containers', (t) =>
  checkRoutes(t, ['audio-to-text', 'llm', 'image-to-text', 'text-to-speech']));
