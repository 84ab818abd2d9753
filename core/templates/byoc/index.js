// The plugin lpx loads: the manifest declares the app, defineByocPlugin hands it
// to the node's BYOC host. Add `hooks: { validate(body) { ... } }` to check
// requests beyond the manifest's inputSchema before anything is paid.
import { readFileSync } from 'node:fs';
import { defineByocPlugin } from '@lpx/sdk';

const manifest = JSON.parse(readFileSync(new URL('./plugin.manifest.json', import.meta.url), 'utf8'));

// depth 0: this file sits at the package root, next to plugin.manifest.json and image/.
export default defineByocPlugin({ manifest, moduleUrl: import.meta.url, depth: 0 });
