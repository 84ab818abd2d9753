import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { errors } from '@lpx/sdk';
import { parseAIModelEntry } from '../src/config/ai-model-entry.js';
import { readAIModelsSource } from '../src/config/ai-models-source.js';
import { parseExactRational } from '../src/config/exact-price.js';
import { planModels, toOfferPrice } from '../src/config/model-plan.js';
import { parseGpus, resolveRunnersConfig } from '../src/config/plugin-config.js';

const parse = (value: unknown, cwd?: string) => planModels(readAIModelsSource(value, cwd).map(parseAIModelEntry));

function refusal(t: Test, fn: () => unknown, pattern: RegExp, what: string): void {
  try {
    fn();
    t.fail(`${what}: accepted`);
  } catch (error) {
    t.ok(errors.ai.CONFIG_INVALID.is(error), `${what}: CONFIG_INVALID (${(error as Error).message})`);
    t.match((error as Error).message, pattern, what);
  }
}

t.test("go-livepeer's inline string form: pipeline:model_id:warm, comma separated, ParseBool spellings", async (t) => {
  const plans = parse('text-to-image:stabilityai/sd-turbo:true, llm:meta-llama/Meta-Llama-3.1-8B-Instruct:F,upscale:stabilityai/stable-diffusion-x4-upscaler:0');
  t.same(
    plans.map((p) => [p.pipeline, p.modelId, p.warm, p.managed, p.externals.length]),
    [
      ['text-to-image', 'stabilityai/sd-turbo', true, 1, 0],
      ['llm', 'meta-llama/Meta-Llama-3.1-8B-Instruct', false, 1, 0],
      ['upscale', 'stabilityai/stable-diffusion-x4-upscaler', false, 1, 0],
    ],
  );
  refusal(t, () => parse('text-to-image:sd-turbo'), /aiModels\[0\].*<pipeline>:<model_id>:<warm>/, 'two fields');
  refusal(t, () => parse('text-to-image:a:true,llm:b:maybe'), /aiModels\[1\].*warm must be true or false/, 'warm not a bool');
});

t.test('a JSON array file: prices read exactly from the number text, flags become env strings', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'aiModels.json');
  writeFileSync(
    file,
    `[
      {"pipeline": "text-to-image", "model_id": "ByteDance/SDXL-Lightning", "warm": true, "price_per_unit": 4768371, "pixels_per_unit": 1, "optimization_flags": {"SFAST": true, "DEEPCACHE": false}},
      {"pipeline": "llm", "model_id": "meta-llama/Meta-Llama-3.1-8B-Instruct", "price_per_unit": 0.18000000000000000001, "pixels_per_unit": 1000000, "url": "http://10.0.0.7:8000/", "token": "s3cret", "capacity": 4},
      {"pipeline": "audio-to-text", "model_id": "openai/whisper-large-v3", "price_per_unit": 123456789012345678901234567890, "capacity": 2},
      {"pipeline": "image-to-text", "model_id": "Salesforce/blip-image-captioning-large", "price_per_unit": 1.5e-3, "currency": "ETH"}
    ]`,
  );
  for (const value of [file, 'aiModels.json']) {
    const plans = parse(value, dir);
    t.equal(plans.length, 4, `read from ${value}`);
    const [t2i, llm, a2t, i2t] = plans as [typeof plans[0], typeof plans[0], typeof plans[0], typeof plans[0]];
    t.same(t2i.price, { pricePerUnit: '4768371', pixelsPerUnit: '1' });
    t.same(t2i.optimizationFlags, { SFAST: 'true', DEEPCACHE: 'false' }, 'JSON booleans become "true"/"false" as go-livepeer does');
    t.same(llm.externals, [{ url: 'http://10.0.0.7:8000', token: 's3cret', capacity: 4 }], 'external runner, trailing slash dropped');
    t.equal(llm.managed, 0, 'an url entry starts no container');
    // 0.18000000000000000001 wei per 1e6 units = 18000000000000000001 / 10^26: a float would have said 0.18.
    t.same(llm.price, { pricePerUnit: '18000000000000000001', pixelsPerUnit: '100000000000000000000000000' }, 'a rational price survives exactly');
    t.same(a2t.price, { pricePerUnit: '123456789012345678901234567890', pixelsPerUnit: '1' }, 'a 30-digit integer price survives exactly');
    t.equal(a2t.managed, 2, 'capacity without url: two identical container slots');
    t.same(i2t.price, { pricePerUnit: '1500000000000000', pixelsPerUnit: '1' }, 'eth converted to wei exactly');
  }
});

t.test('an inline array (YAML config): numbers are taken when a float holds them exactly, strings always', async (t) => {
  const plans = parse([
    { pipeline: 'text-to-image', model_id: 'a', price_per_unit: 0.5, pixels_per_unit: 1 },
    { pipeline: 'text-to-image', model_id: 'b', price_per_unit: '1/3' },
    { pipeline: 'text-to-image', model_id: 'c', price_per_unit: '2500000000000000000000', pixels_per_unit: '1000' },
    { pipeline: 'text-to-image', model_id: 'd', price_per_unit: 7, pixels_per_unit: 1000 },
  ]);
  t.same(plans.map((p) => p.price), [
    { pricePerUnit: '1', pixelsPerUnit: '2' },
    { pricePerUnit: '1', pixelsPerUnit: '3' },
    { pricePerUnit: '2500000000000000000000', pixelsPerUnit: '1000' },
    { pricePerUnit: '7', pixelsPerUnit: '1000' },
  ]);
  refusal(t, () => parse([{ pipeline: 'llm', model_id: 'x', price_per_unit: 0.1234567890123456 }]), /aiModels\[0\] \(llm x\).*write it as a string/, 'a float with more digits than it keeps');
});

t.test('bad entries are refused with CONFIG_INVALID naming the entry', async (t) => {
  const ok = { pipeline: 'text-to-image', model_id: 'sd' };
  refusal(t, () => parse([ok, { pipeline: 'text-to-video', model_id: 'x' }]), /aiModels\[1\] \(text-to-video x\): unknown pipeline "text-to-video"/, 'unknown pipeline');
  refusal(t, () => parse([{ ...ok, warm: true }, { ...ok, warm: false, url: 'http://r:8000' }]), /aiModels\[1\].*both warm and cold.*aiModels\[0\]/, 'warm and cold');
  refusal(t, () => parse([{ ...ok, url: 'http://r:8000', capacity: 0 }]), /aiModels\[0\].*capacity 0 with url/, 'url with capacity 0');
  refusal(t, () => parse([{ ...ok, price_per_unit: -1 }]), /price_per_unit must be ≥ 0/, 'negative price');
  refusal(t, () => parse([{ ...ok, price_per_unit: 'cheap' }]), /price_per_unit: "cheap" is not a number/, 'words for a price');
  refusal(t, () => parse([{ ...ok, price_per_unit: '1/0' }]), /price_per_unit/, 'zero denominator');
  refusal(t, () => parse([{ ...ok, price_per_unit: 1, pixels_per_unit: 2.5 }]), /pixels_per_unit must be a whole number > 0/, 'fractional pixels_per_unit');
  refusal(t, () => parse([{ ...ok, price_per_unit: 1, currency: 'USD' }]), /currency "USD" needs a price feed/, 'USD');
  refusal(t, () => parse([{ ...ok, pixels_per_unit: 5 }]), /need price_per_unit/, 'pixels without a price');
  refusal(t, () => parse([{ ...ok, price: 1 }]), /unknown field "price"/, 'a misspelt field');
  refusal(t, () => parse([{ ...ok, gateway: 'gw1' }]), /gateway must be "default" or a 0x address/, 'gateway');
  refusal(t, () => parse([{ ...ok, url: 'ftp://r' }]), /must be http or https/, 'url scheme');
  refusal(t, () => parse([{ ...ok, token: 't' }]), /token is only used with url/, 'token without url');
  refusal(t, () => parse([{ ...ok, optimization_flags: { STEPS: 4 } }]), /optimization_flags.STEPS must be a string or a boolean/, 'numeric flag');
  refusal(t, () => parse([{ ...ok, price_per_unit: 1 }, { ...ok, price_per_unit: 2 }]), /aiModels\[1\].*second, different price/, 'two prices');
  refusal(t, () => parse([{ pipeline: 'llm' }]), /model_id is required/, 'no model');
  refusal(t, () => parse(['llm:x:true']), /expected an object/, 'a string inside an array');
  refusal(t, () => parse('missing.json'), /file .*missing.json not found/, 'a missing file');
  const dir = t.testdir({ 'bad.json': '{"pipeline": "llm"}', 'broken.json': '[{"pipeline": ' });
  refusal(t, () => parse('bad.json', dir), /expected a JSON array/, 'not an array');
  refusal(t, () => parse('broken.json', dir), /not valid JSON/, 'broken JSON');
});

t.test('entries for one model add up; per-gateway prices stay apart', async (t) => {
  const gw = '0x' + 'ab'.repeat(20);
  const [plan] = parse([
    { pipeline: 'llm', model_id: 'm', capacity: 2, price_per_unit: 3 },
    { pipeline: 'llm', model_id: 'm', url: 'http://a:1', capacity: 3 },
    { pipeline: 'llm', model_id: 'm', price_per_unit: 9, gateway: gw.toUpperCase().replace('0X', '0x') },
    { pipeline: 'llm', model_id: 'm', price_per_unit: '6/2' },
  ]);
  t.equal(plan!.managed, 4, 'every entry without url adds its slots: 2 + 1 + 1');
  t.same(plan!.price, { pricePerUnit: '3', pixelsPerUnit: '1' }, 'the same price written twice is fine');
  t.same(plan!.gatewayPrices, { [gw]: { pricePerUnit: '9', pixelsPerUnit: '1' } });
});

t.test('exact prices: the forms big.Rat.SetString reads', async (t) => {
  t.same(parseExactRational('12'), { num: 12n, den: 1n });
  t.same(parseExactRational('0.25'), { num: 1n, den: 4n });
  t.same(parseExactRational('.5'), { num: 1n, den: 2n });
  t.same(parseExactRational('1.5e-3'), { num: 3n, den: 2000n });
  t.same(parseExactRational('2E+3'), { num: 2000n, den: 1n });
  t.same(parseExactRational('6/4'), { num: 3n, den: 2n });
  t.equal(parseExactRational('1e999'), undefined, 'absurd exponents are refused');
  t.equal(parseExactRational('0x10'), undefined);
  t.same(toOfferPrice({ pricePerUnit: { num: 10n, den: 1n }, pixelsPerUnit: 1000n }), { pricePerUnit: '10', pixelsPerUnit: '1000' }, 'kept as configured');
  t.same(toOfferPrice({ pricePerUnit: { num: 0n, den: 1n }, pixelsPerUnit: 7n }), { pricePerUnit: '0', pixelsPerUnit: '7' });
});

t.test('the rest of the plugin config: gpus, overrides, models dir, timeouts', async (t) => {
  t.same(parseGpus(undefined), []);
  t.equal(parseGpus('all'), 'all');
  t.same(parseGpus('0, 1'), ['0', '1']);
  t.same(parseGpus(['GPU-abc']), ['GPU-abc']);
  t.throws(() => parseGpus('0,0'), /listed twice/);
  t.throws(() => parseGpus('all,0'), /cannot be mixed/);
  const config = resolveRunnersConfig({ aiModels: 'llm:m:false', aiRunnerImageOverrides: '{"default":"my/runner:1","batch":{"llm":"my/llm:2"}}', timeouts: { requestMs: 5 } }, '/data/node', '/work');
  t.equal(config.modelsDir, '/data/node/models', "go-livepeer's default: <datadir>/models");
  t.same(config.images, { default: 'my/runner:1', batch: { llm: 'my/llm:2' } });
  t.equal(config.timeouts.requestMs, 5);
  t.equal(config.timeouts.startMs, 180_000, "go-livepeer's container timeout");
  t.equal(config.containersPerGpu, 1);
  t.equal(resolveRunnersConfig({ modelsDir: 'models' }, '/data', '/srv').modelsDir, '/srv/models');
  t.throws(() => resolveRunnersConfig({ aiRunnerImageOverrides: '{' }, '/d'), /not valid JSON/);
  t.throws(() => resolveRunnersConfig({ aiRunnerImageOverrides: { batch: { nope: 'x' } } }, '/d'), /unknown pipeline "nope"/);
  t.same(resolveRunnersConfig({}, '/d').models, [], 'no aiModels: nothing to run');
});
