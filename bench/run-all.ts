// npm run bench: every benchmark, each against a baseline measured in the same run.
// Each script also runs on its own: node --import tsx bench/<name>.ts
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const scripts = ['kernel.ts', 'cli.ts', 'jobs.ts', 'payments.ts', 'signing.ts', 'selection.ts', 'discovery.ts', 'discovery-scale.ts', 'routing.ts', 'gateway-throughput.ts', 'sync-record-cost.ts', 'transcode-ffmpeg.ts', 'transcode-path.ts', 'ai-stream-relay.ts', 'ai-path.ts', 'live-runner-path.ts', 'registry-trust-install.ts', 'registry-install.ts'].filter((name) => existsSync(new URL(name, import.meta.url)));
let failed = 0;
for (const name of scripts) {
  console.log(`\n== bench/${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', new URL(name, import.meta.url).pathname], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
