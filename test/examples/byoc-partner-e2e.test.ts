// Issue 12's "Done means", tried as a new partner and an operator would, with
// real parts only: the `lpx` CLI as child processes in folders outside the
// repo (scaffold, base image, image build, keys, publish signed to an
// `lpx registry serve`), a reviewer approving on the registry, an operator
// installing by name from config (`lpx plugin install`, lockfile) and booting
// `lpx start` as an orchestrator on the embedded dev chain (payments on) with
// the test dockerd, and an lpx gateway (discovery-static) whose paid job
// reaches the partner's container. The same hosted app as a Live Runner app:
// a go-livepeer-style client's 402 challenge and paid single-shot call, and
// one call through the gateway's /v1/apps route. Then the refusals in the
// same flow: an undeclared GPU permission, a tarball tampered on the
// registry's disk, and a revoked release (a running node withdraws its
// capability at refresh; a fresh one refuses it).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { privateKeyToAccount } from 'viem/accounts';
import { startEmbeddedChain } from '../../core/src/chain/index.js';
import { startChainKeeper } from '../../core/src/dev/chain-keeper.js';
import { startNodeProcess, type NodeProcess } from '../../core/src/dev/node-process.js';
import { findFreePort } from '../../core/src/redis/free-port.js';
import { fetchJobToken, jobSenderFor } from '../../core/src/network/byoc/index.js';
import { createChainPaymentSources } from '../../core/src/payments-chain/create-sources.js';
import { Balances, fromHex, GatewayPayer, PrivateKeyTicketSigner, Rational, RedisCreditStore, TicketSender } from '../../core/src/payments/index.js';
import { call, LiveRunnerClientDouble, type Challenge } from '../plugins/live-runner/helpers/live-runner-client.js';
import { testDocker } from '../helpers/docker.js';
import { testRedis, uniquePrefix } from '../helpers/redis.js';

const LPX = fileURLToPath(new URL('../../core/bin/lpx.mjs', import.meta.url));
const require = createRequire(import.meta.url);
const TICKET_EV = 5n * 10n ** 16n;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `lpx …` as a child process in `cwd`, the way a partner or operator types it. */
function lpx(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, [LPX, ...args], cwd, env);
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function json(result: Run): Record<string, unknown> {
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

/** `lpx registry serve` in the background; resolves with its URL once it prints it. */
async function serveRegistry(t: { teardown(fn: () => unknown): void }, cwd: string, dir: string, publishTokens: string, adminTokens: string): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, [LPX, 'registry', 'serve', '--dir', dir, '--port', '0', '--publish-token-file', publishTokens, '--admin-token-file', adminTokens, '--log-level', 'warn'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = /serving at (http:\/\/\S+)/.exec(line);
    if (match) return match[1]!;
  }
  throw new Error('lpx registry serve exited before it served');
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

t.setTimeout(40 * 60_000);

t.test('a partner publishes a signed BYOC app; an operator installs it by name and sells it through a gateway, paid; tampering, revocation and undeclared permissions are refused', async (t) => {
  const { dockerHost } = await testDocker(t);
  const redis = await testRedis(t);
  const chain = await startEmbeddedChain({ orchestrators: 1, senders: 1, protocol: { roundLength: 500n } });
  t.teardown(() => chain.stop());
  const keeper = startChainKeeper(chain, 200);
  t.teardown(() => keeper.stop());
  const orchAccount = chain.accounts.find((a) => a.role === 'orchestrator')!;
  const senderAccount = chain.accounts.find((a) => a.role === 'sender')!;

  // Everything happens outside the repo: the partner's, the reviewer's and the operator's folders.
  const world = mkdtempSync(join(tmpdir(), 'lpx-partner-e2e-'));
  t.teardown(() => rmSync(world, { recursive: true, force: true }));
  const name = `upper-${randomBytes(3).toString('hex')}`;
  const partnerDir = join(world, 'partner');
  const registryDir = join(world, 'registry');
  const docker = { DOCKER_HOST: dockerHost };

  // ── The partner ──────────────────────────────────────────────────────────
  const init = await lpx(world, ['plugin', 'init', 'byoc', name, '--dir', partnerDir]);
  t.equal(init.code, 0, `lpx plugin init byoc: ${init.stderr}`);
  const base = await lpx(partnerDir, ['images', 'base', '--json'], docker);
  t.equal(base.code, 0, `lpx images base: ${base.stderr}`);
  const build = await run('npm', ['run', 'build:image'], partnerDir, docker);
  t.equal(build.code, 0, `npm run build:image: ${build.stderr}`);
  const manifest = JSON.parse(readFileSync(join(partnerDir, 'plugin.manifest.json'), 'utf8')) as { byoc: { container: { digest: string } } };
  t.match(manifest.byoc.container.digest, /^sha256:(?!0{64})[0-9a-f]{64}$/, 'the image id is pinned in the manifest');
  t.teardown(() => run('docker', ['image', 'rm', '-f', `${name}:0.1.0`], world, docker));

  const partnerKey = json(await lpx(partnerDir, ['plugin', 'keygen', '--out', join(world, 'partner-key.json'), '--name', 'partner', '--json']));
  const reviewerKey = json(await lpx(world, ['plugin', 'keygen', '--out', join(world, 'reviewer-key.json'), '--name', 'reviewer', '--json']));
  t.match(partnerKey, { ok: true, keyId: /^ed25519:/ });

  writeFileSync(join(world, 'publish.tokens'), 'partner-token\n');
  writeFileSync(join(world, 'admin.tokens'), 'admin-token\n');
  writeFileSync(join(world, 'partner.token'), 'partner-token\n');
  const registryUrl = await serveRegistry(t, world, registryDir, join(world, 'publish.tokens'), join(world, 'admin.tokens'));

  const publish = await lpx(partnerDir, ['plugin', 'publish', '.', '--registry', registryUrl, '--token-file', join(world, 'partner.token'), '--key', join(world, 'partner-key.json'), '--json']);
  t.equal(publish.code, 0, `lpx plugin publish --key: ${publish.stdout}${publish.stderr}`);
  t.match(json(publish), { ok: true, id: name, version: '0.1.0', status: 'published', state: 'pending' });
  const served = (await (await fetch(`${registryUrl}/v1/plugins/${name}/0.1.0/signatures.json`)).json()) as { keyId: string }[];
  t.same(served.map((s) => s.keyId), [partnerKey.keyId], "the partner's signature reached the registry with the release");

  // The reviewer approves with another key, on the registry's own folder (it serves what is on disk).
  const approve = await lpx(world, ['plugin', 'review', registryDir, `${name}@0.1.0`, 'approve', '--key', join(world, 'reviewer-key.json'), '--json']);
  t.equal(approve.code, 0, `lpx plugin review approve: ${approve.stderr}`);
  const listed = (await (await fetch(`${registryUrl}/v1/plugins/${name}`)).json()) as Record<string, unknown>;
  t.match(JSON.stringify(listed), /approved/, 'the registry lists the release as approved');

  // A manifest asking for a GPU without the gpu permission: refused before anything is published.
  const greedyDir = join(world, 'greedy');
  t.equal((await lpx(world, ['plugin', 'init', 'byoc', `${name}-gpu`, '--dir', greedyDir])).code, 0);
  const greedyManifestPath = join(greedyDir, 'plugin.manifest.json');
  const greedy = JSON.parse(readFileSync(greedyManifestPath, 'utf8')) as { byoc: Record<string, unknown> & { container: Record<string, unknown> } };
  greedy.byoc.resources = { gpu: 1 };
  greedy.byoc.container.digest = manifest.byoc.container.digest;
  writeFileSync(greedyManifestPath, JSON.stringify(greedy, null, 2));
  mkdirSync(join(greedyDir, 'image'));
  copyFileSync(join(partnerDir, 'image', 'app.tar'), join(greedyDir, 'image', 'app.tar'));
  const greedyPublish = await lpx(greedyDir, ['plugin', 'publish', '.', '--registry', registryUrl, '--token-file', join(world, 'partner.token'), '--key', join(world, 'partner-key.json'), '--json']);
  t.not(greedyPublish.code, 0, 'publishing a manifest that asks for a GPU without the permission fails');
  t.match(json(greedyPublish), { ok: false, error: { code: 'LPX_ERR_PLUGIN_MANIFEST_INVALID', message: /\/byoc\/resources\/gpu: expected the "gpu" permission/ } }, 'a coded refusal naming the gpu permission');
  t.equal((await fetch(`${registryUrl}/v1/plugins/${name}-gpu`)).status, 404, 'nothing of it is in the registry');

  // ── The operator ─────────────────────────────────────────────────────────
  const operatorDir = join(world, 'operator');
  const [httpPort, servicePort, gatewayPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const serviceUri = `https://127.0.0.1:${servicePort}`;
  const prefix = uniquePrefix('partner-e2e');
  const trust = { publishers: [partnerKey.keyId], reviewers: [reviewerKey.keyId], states: ['approved'] };
  const operatorConfig = (dataDir: string, port: number, service: number) => ({
    node: { name: 'partner-e2e-orchestrator', roles: ['orchestrator', 'worker', 'redeemer'], dataDir },
    log: { level: 'info' },
    http: { host: '127.0.0.1', port },
    redis: { url: redis.url, prefix },
    chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: orchAccount.privateKey, l1BlockTimeMs: 200 },
    orchestrator: { host: '127.0.0.1', port: service, secret: 'partner-e2e-secret', ticketEV: TICKET_EV.toString(), pricePerUnit: '1', pixelsPerUnit: '1' },
    registry: { url: registryUrl, trust, refreshMs: 1_000 },
    plugins: {
      'runtime-docker': { module: require.resolve('@lpx/plugin-runtime-docker'), config: { host: dockerHost, callTimeoutMs: 120_000 } },
      'byoc-host': { module: require.resolve('@lpx/plugin-byoc-host'), config: { startTimeoutMs: 120_000 } },
      trickle: { module: require.resolve('@lpx/plugin-trickle') },
      'live-runner': { module: require.resolve('@lpx/plugin-live-runner') },
      'byoc-live-runner': { module: require.resolve('@lpx/plugin-byoc-live-runner') },
    },
  });
  mkdirSync(operatorDir);
  const yamlPath = join(operatorDir, 'orchestrator.yaml');
  writeFileSync(yamlPath, `# the operator's node\n${stringifyYaml(operatorConfig(join(operatorDir, 'data'), httpPort, servicePort))}`);

  const install = await lpx(operatorDir, ['plugin', 'install', `${name}@^0.1.0`, '--config', yamlPath, '--json']);
  t.equal(install.code, 0, `lpx plugin install: ${install.stdout}${install.stderr}`);
  t.match(json(install), { ok: true, id: name, version: '0.1.0', range: '^0.1.0' });
  const installed = parseYaml(readFileSync(yamlPath, 'utf8')) as { plugins: Record<string, { version?: string }> };
  t.equal(installed.plugins[name]?.version, '^0.1.0', 'the config now asks for the plugin by version');
  t.match(readFileSync(yamlPath, 'utf8'), /^# the operator's node/, "the operator's comment survived");
  const lockfile = join(operatorDir, 'lpx-plugins.lock');
  t.ok(existsSync(lockfile), 'the lockfile is written next to the config');
  t.match(readFileSync(lockfile, 'utf8'), new RegExp(name), 'and pins the plugin');

  // `lpx start --config orchestrator.yaml`: the node mirrors, verifies and hosts the app.
  // startNodeProcess writes the config it is given next to the YAML and runs `lpx start --config` on it (same folder, same lockfile).
  const orchestrator: NodeProcess = await startNodeProcess('orchestrator', operatorDir, installed as Record<string, unknown>, httpPort, { readyTimeoutMs: 15 * 60_000 });
  t.teardown(() => orchestrator.stop());

  // ── A gateway, and a paid job ───────────────────────────────────────────
  const gatewayDir = join(world, 'gateway');
  mkdirSync(gatewayDir);
  const gateway = await startNodeProcess(
    'gateway',
    gatewayDir,
    {
      node: { name: 'partner-e2e-gateway', roles: ['gateway'], dataDir: join(gatewayDir, 'data') },
      log: { level: 'info' },
      http: { host: '127.0.0.1', port: gatewayPort },
      redis: { url: redis.url, prefix: uniquePrefix('partner-e2e-gw') },
      chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: senderAccount.privateKey },
      gateway: { maxOrchestratorAttempts: 2, requestTimeoutMs: 60_000, poolRefreshMs: 2_000, maxTicketEV: (TICKET_EV * 2n).toString(), maxTotalEV: (TICKET_EV * 200n).toString() },
      plugins: {
        'discovery-static': { module: require.resolve('@lpx/plugin-discovery-static'), config: { orchAddr: [serviceUri] } },
        'selection-stake': { module: require.resolve('@lpx/plugin-selection-stake') },
      },
    },
    gatewayPort,
    { readyTimeoutMs: 15 * 60_000 },
  );
  t.teardown(() => gateway.stop());

  const jobUrl = `${gateway.httpUrl}/v1/jobs/byoc/${name}`;
  const answer = await waitFor('the gateway to route the job', async () => {
    const response = await fetch(jobUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello partner' }) });
    if (response.status !== 200) {
      t.comment(`job: ${response.status} ${await response.text()}`);
      return undefined;
    }
    return { body: (await response.json()) as unknown, orchestrator: response.headers.get('lpx-orchestrator') };
  });
  t.same(answer.body, { text: 'HELLO PARTNER' }, "the gateway's result is the container's answer");
  t.equal(answer.orchestrator, serviceUri, 'served by the operator');
  const sender = await jobSenderFor(privateKeyToAccount(senderAccount.privateKey as `0x${string}`));
  const token = await fetchJobToken({ serviceUri, capability: name, sender, timeoutMs: 30_000 });
  t.ok(token.balance !== undefined && token.balance > 0n, `the orchestrator holds the gateway's payment as credit (${token.balance} wei)`);
  t.same(token.price, { pricePerUnit: 1_000_000_000n, pixelsPerUnit: 1n }, "at the partner's price");

  // ── The same hosted app, as a Live Runner app ──────────────────────────
  // A request-response app is a single-shot runner: a go-livepeer-style client gets the 402 challenge,
  // pays with tickets from payment_params, and its paid call reaches the container.
  const runners = await waitFor('the app in /discovery', async () => {
    const listed = (await call(`${serviceUri}/discovery`)).json<{ runners?: { app: string; url: string; mode: string }[] }[]>()[0]?.runners ?? [];
    return listed.some((r) => r.app === `byoc/${name}`) ? listed : undefined;
  });
  const runner = runners.find((r) => r.app === `byoc/${name}`)!;
  t.same([runner.url, runner.mode], [`${serviceUri}/apps/${name}/app`, 'single-shot'], 'the hosted app is offered as a single-shot Live Runner app');
  const sources = await createChainPaymentSources({ rpcUrl: chain.rpcUrl, controller: chain.controller, senderInfoTtlMs: 500 });
  t.teardown(() => sources.close());
  await sources.refresh();
  const liveClient = new LiveRunnerClientDouble({
    account: privateKeyToAccount(senderAccount.privateKey as `0x${string}`),
    gateway: new GatewayPayer(new TicketSender({ signer: new PrivateKeyTicketSigner(fromHex(senderAccount.privateKey)), rounds: sources.rounds, senderInfo: sources.senderInfo, limits: { maxEV: Rational.of(TICKET_EV * 2n), maxTotalEV: Rational.of(TICKET_EV * 200n) } }), new Balances()),
  });
  const body = JSON.stringify({ text: 'live runner' });
  const challenged = await call(`${runner.url}/`, { method: 'POST', headers: { 'livepeer-payer-address': liveClient.address, 'content-type': 'application/json' }, body });
  t.equal(challenged.status, 402, 'an unpaid call is challenged');
  const challenge = challenged.json<Challenge>();
  liveClient.adopt(challenge);
  const credits = new RedisCreditStore({ redis: await redis.connect(), prefix, recipient: fromHex(orchAccount.address) });
  t.equal(await credits.balance(senderAccount.address.toLowerCase(), challenge.manifest_id), undefined, 'the challenge credits nothing');
  const paidCall = await call(`${runner.url}/`, { method: 'POST', headers: { ...(await liveClient.headers(challenge.manifest_id, 10n)), 'content-type': 'application/json' }, body });
  t.equal(paidCall.status, 200, paidCall.text);
  t.same(paidCall.json(), { text: 'LIVE RUNNER' }, "the paid call reached the partner's container");
  const liveCredit = await credits.balance(senderAccount.address.toLowerCase(), challenge.manifest_id);
  t.ok(liveCredit !== undefined && liveCredit.sign() !== 0, `the tickets were credited under the manifest id (${liveCredit?.toFixed(0)} wei)`);

  // Through the lpx gateway's Live Runner client (ADR 0043): it pays the orchestrator itself.
  const viaGateway = await waitFor('the gateway to offer the app', async () => {
    const response = await fetch(`${gateway.httpUrl}/v1/apps/${encodeURIComponent(`byoc/${name}`)}/app/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'via gateway' }) });
    if (response.status !== 200) {
      t.comment(`gateway app call: ${response.status} ${await response.text()}`);
      return undefined;
    }
    return (await response.json()) as unknown;
  });
  t.same(viaGateway, { text: 'VIA GATEWAY' }, "a single-shot call through the gateway's /v1/apps route reaches the container");

  /** A new operator's node (own folder, own mirror, no lockfile) asking for the plugin: the boot's refusal, or undefined if it booted. */
  const freshBoot = async (dir: string): Promise<string | undefined> => {
    mkdirSync(dir);
    const config = { ...operatorConfig(join(dir, 'data'), await findFreePort(), await findFreePort()), plugins: { ...operatorConfig('', 0, 0).plugins, [name]: { version: '^0.1.0' } } };
    return startNodeProcess('orchestrator', dir, config, config.http.port, { readyTimeoutMs: 10 * 60_000 }).then(
      async (node) => {
        await node.stop();
        return undefined;
      },
      (error: Error) => error.message,
    );
  };

  // ── Tampering on the registry's disk ─────────────────────────────────────
  const tarball = join(registryDir, name, '0.1.0', 'package.tgz');
  const original = readFileSync(tarball);
  writeFileSync(tarball, Buffer.concat([original, Buffer.from('tampered')]));
  const tamperDir = join(world, 'operator-tamper');
  const tampered = await freshBoot(tamperDir);
  t.match(tampered, /LPX_ERR_REGISTRY_INTEGRITY_MISMATCH/, 'a fresh node refuses to boot on a tampered tarball');
  t.notOk(existsSync(join(tamperDir, 'data', 'plugins-installed', name)), 'nothing of it was installed');
  writeFileSync(tarball, original);

  // ── Revocation ───────────────────────────────────────────────────────────
  const revoke = await lpx(world, ['plugin', 'revoke', registryDir, `${name}@0.1.0`, '--key', join(world, 'reviewer-key.json'), '--reason', 'e2e', '--json']);
  t.equal(revoke.code, 0, `lpx plugin revoke: ${revoke.stderr}`);
  const withdrawn = await waitFor('the running node to withdraw the revoked app', async () => {
    const response = await fetch(`${orchestrator.httpUrl}/readyz`);
    const body = await response.text();
    return body.includes('revoked') ? body : undefined;
  });
  t.match(withdrawn, new RegExp(`plugin:${name}`), 'the running node reports the plugin revoked');
  const after = await fetchJobToken({ serviceUri, capability: name, sender, timeoutMs: 30_000 });
  t.equal(after.availableCapacity, 0n, 'the revoked app is held at capacity 0: the orchestrator no longer sells it');
  const refusedJob = await fetch(jobUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'after revocation' }) });
  t.not(refusedJob.status, 200, 'a job through the gateway is no longer served');
  t.match(await refusedJob.json(), { code: /^LPX_ERR_/ }, 'with a coded refusal');

  // byoc-live-runner sees the withdrawn capability (capacity 0) within its check interval and takes the app off the route.
  let liveAfter = await call(`${runner.url}/`, { method: 'POST', headers: { 'livepeer-payer-address': liveClient.address, 'content-type': 'application/json' }, body });
  for (const deadline = Date.now() + 30_000; liveAfter.status === 402 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    liveAfter = await call(`${runner.url}/`, { method: 'POST', headers: { 'livepeer-payer-address': liveClient.address, 'content-type': 'application/json' }, body });
  }
  t.equal(liveAfter.status, 404, 'the Live Runner route stops offering the revoked app too');

  const revokedDir = join(world, 'operator-revoked');
  const revokedBoot = await freshBoot(revokedDir);
  t.match(revokedBoot, /LPX_ERR_REGISTRY_REVOKED/, 'a fresh node refuses to boot on a revoked release');
  t.notOk(existsSync(join(revokedDir, 'data', 'plugins-installed', name)), 'nothing of it was installed');
});
