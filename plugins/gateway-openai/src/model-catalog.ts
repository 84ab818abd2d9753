/**
 * The gateway's pool of models as OpenAI lists them, and the check every
 * endpoint makes before anything is routed or paid: the model must be offered
 * for the endpoint's pipeline. An unknown model is a 404 (as OpenAI answers
 * `model_not_found`), one offered for another pipeline a 400 that says which
 * endpoint serves it.
 */
import { errors, type AIGatewayModel, type AIPipelineName, type GatewayService } from '@lpx/sdk';

/** OpenAI's model object plus Livepeer extension fields (clients ignore fields they do not know). */
export interface OpenAIModel {
  readonly id: string;
  readonly object: 'model';
  /** Unknown for network models: 0. */
  readonly created: number;
  readonly owned_by: string;
  /** The first pipeline that serves it; `pipelines` has all of them. */
  readonly pipeline: AIPipelineName;
  readonly pipelines: readonly AIPipelineName[];
  /** Orchestrators offering it now, over all its pipelines. */
  readonly orchestrators: number;
  readonly warm: boolean;
  /** The lowest advertised price, wei per unit ("num/den"), when any is known. */
  readonly price_per_unit?: string;
}

/** Which endpoint serves a pipeline, for the "use … instead" hint. */
const ENDPOINTS: Partial<Record<AIPipelineName, string>> = {
  llm: '/v1/chat/completions',
  'text-to-image': '/v1/images/generations',
  'text-to-speech': '/v1/audio/speech',
  'audio-to-text': '/v1/audio/transcriptions',
};

/** The organisation part of a Hugging Face style id (`meta-llama/…`), else the network. */
function ownerOf(modelId: string): string {
  const slash = modelId.indexOf('/');
  return slash > 0 ? modelId.slice(0, slash) : 'livepeer';
}

/** Rational prices compare exactly: a/b < c/d ⇔ a·d < c·b (denominators are positive). */
function lower(a: string, b: string): string {
  const [an, ad = '1'] = a.split('/');
  const [bn, bd = '1'] = b.split('/');
  return BigInt(an!) * BigInt(bd) < BigInt(bn!) * BigInt(ad) ? a : b;
}

function isPrice(value: string | undefined): value is string {
  return value !== undefined && /^[0-9]+(\/[1-9][0-9]*)?$/.test(value);
}

export function openAIModels(models: readonly AIGatewayModel[]): OpenAIModel[] {
  const byId = new Map<string, AIGatewayModel[]>();
  for (const model of models) byId.set(model.modelId, [...(byId.get(model.modelId) ?? []), model]);
  return [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, offers]) => {
      const prices = offers.map((offer) => offer.lowestPrice).filter(isPrice);
      return {
        id,
        object: 'model',
        created: 0,
        owned_by: ownerOf(id),
        pipeline: offers[0]!.pipeline,
        pipelines: [...new Set(offers.map((offer) => offer.pipeline))],
        orchestrators: offers.reduce((sum, offer) => sum + offer.orchestrators, 0),
        warm: offers.some((offer) => offer.warm),
        ...(prices.length > 0 ? { price_per_unit: prices.reduce(lower) } : {}),
      };
    });
}

export class ModelCatalog {
  readonly #gateway: GatewayService;
  readonly #aliases: Readonly<Record<string, string>>;

  constructor(gateway: GatewayService, aliases: Readonly<Record<string, string>>) {
    this.#gateway = gateway;
    this.#aliases = aliases;
  }

  async list(): Promise<OpenAIModel[]> {
    return openAIModels(await this.#gateway.aiModels());
  }

  /** `GET /v1/models/{id}`: aliases resolve to the model they name. */
  async get(id: string): Promise<OpenAIModel> {
    const modelId = this.#aliases[id] ?? id;
    const found = (await this.list()).find((model) => model.id === modelId);
    if (found === undefined) throw notFound(id);
    return found;
  }

  /** The Livepeer model id to route `model` to on `pipeline`, or a coded refusal. */
  async resolve(model: string, pipeline: AIPipelineName): Promise<string> {
    const modelId = this.#aliases[model] ?? model;
    const offers = (await this.#gateway.aiModels()).filter((offer) => offer.modelId === modelId);
    if (offers.some((offer) => offer.pipeline === pipeline)) return modelId;
    if (offers.length === 0) throw notFound(model);
    const elsewhere = offers.map((offer) => `${offer.pipeline}${ENDPOINTS[offer.pipeline] ? ` (${ENDPOINTS[offer.pipeline]})` : ''}`);
    throw errors.ai.MODEL_UNKNOWN.create(`model ${model} serves ${elsewhere.join(', ')}, not ${pipeline}`, { details: { param: 'model', model, pipeline } });
  }
}

function notFound(model: string) {
  return errors.ai.OPENAI_MODEL_NOT_FOUND.create(`the model ${model} does not exist on this gateway's network: no orchestrator offers it (GET /v1/models lists those that do)`, { details: { param: 'model', model } });
}
