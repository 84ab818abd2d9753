// The web dashboard in a real browser: Debian's chromium driven by
// playwright-core (never a downloaded browser), against a real node with the
// example echo plugin. One browser launch for the whole file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { chromium, type ConsoleMessage } from 'playwright-core';
import { exampleEchoPlugin } from '../../examples/echo-plugin/src/index.js';
import { makeHost } from '../helpers/host.js';
import { decodePng, pngVariety } from '../helpers/png.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.LPX_CHROMIUM ?? '/usr/bin/chromium';
const REFERENCE = join(repo, 'docs', 'images', 'dashboard.png');
const VIEWPORT = { width: 1280, height: 860 };

t.ok(existsSync(CHROMIUM), `${CHROMIUM} exists (scripts/bootstrap.mjs installs Debian's chromium)`);
t.ok(existsSync(join(repo, 'dashboard', 'dist', 'index.html')), 'the dashboard is built (scripts/bootstrap.mjs runs the Vite build)');

t.test('GET /dashboard in chromium: roles, capabilities, a live update after a job, no console errors, a screenshot', async (t) => {
  const host = makeHost(t, [exampleEchoPlugin], { node: { roles: ['worker'], name: 'lpx-dashboard-test' } });
  await host.start();
  const base = host.url!;

  // Root in a container: chromium's sandbox needs user namespaces it may not have.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light', deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));

  await page.goto(`${base}/dashboard?refresh=500`);
  await page.getByTestId('roles').waitFor();
  t.equal((await page.getByTestId('roles').innerText()).trim().toLowerCase(), 'worker', 'the header shows the node roles');
  t.equal(await page.getByTestId('state').innerText(), 'ready');
  const capabilities = await page.getByTestId('capabilities').innerText();
  t.match(capabilities, /byoc\/echo/, 'the capability is listed');
  t.match(capabilities, /1,000 wei\/request/, 'with its price');
  t.match(await page.getByTestId('plugins').innerText(), /example-echo\s+0\.1\.0\s+ok/, 'the plugin and its health');
  t.equal(await page.getByTestId('jobs-completed').innerText(), '0', 'no jobs yet');
  t.match(await page.getByTestId('live').innerText(), /live · events/, 'the node lists /events in /status, so the page follows the event stream');

  const answer = await fetch(`${base}/plugins/example-echo/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello dashboard' }) });
  t.equal(answer.status, 200, 'the job ran');
  // A locator wait, not waitForFunction with a string: the page's CSP (script-src 'self') forbids
  // the eval Playwright falls back to when the predicate is not already true.
  await page.locator('[data-testid="jobs-completed"]', { hasText: /^1$/ }).waitFor({ timeout: 20_000 });
  t.pass('the completed count moved without a reload');
  // One line per job (dashboard/src/event-lines.ts): its phases fold into it as they arrive.
  const jobLines = page.getByTestId('feed').locator('li.feed-job');
  await jobLines.filter({ hasText: /byoc\/echo · .*completed · [0-9]+ ms · / }).waitFor({ timeout: 20_000 });
  t.pass('the live feed shows the job, completed');
  t.equal(await jobLines.count(), 1, 'one line for the job, not one per phase (nor a second from the /status poll)');

  const png = await page.screenshot({ type: 'png' });
  const image = decodePng(png);
  t.same([image.width, image.height], [VIEWPORT.width, VIEWPORT.height], 'the screenshot has the viewport size');
  const variety = pngVariety(image);
  t.ok(variety.colors > 50, `the screenshot is not blank (${variety.colors} colours)`);
  t.ok(variety.foreground > 0.02, `and has content over the background (${(variety.foreground * 100).toFixed(1)} % of pixels)`);
  if (process.env.LPX_UPDATE_SCREENSHOT === '1') {
    mkdirSync(dirname(REFERENCE), { recursive: true });
    writeFileSync(REFERENCE, png);
  }
  const reference = decodePng(readFileSync(REFERENCE));
  t.same([reference.width, reference.height], [image.width, image.height], 'the committed reference (docs/images/dashboard.png; LPX_UPDATE_SCREENSHOT=1 rewrites it) has the same size');

  t.same(problems, [], 'no console errors, page errors or failed requests');
});
