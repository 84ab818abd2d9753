// The plugin lpx loads: the manifest declares the app, defineByocPlugin hands it
// to the node's BYOC host (plugins/byoc-host), which loads image/app.tar, checks
// its id against the pinned digest and runs the container.
import { readFileSync } from 'node:fs';
import { defineByocPlugin } from '@lpx/sdk';

const manifest = JSON.parse(readFileSync(new URL('./plugin.manifest.json', import.meta.url), 'utf8'));

// depth 0: this file sits at the package root, next to plugin.manifest.json and image/.
export default defineByocPlugin({ manifest, moduleUrl: import.meta.url, depth: 0 });
