import {
  errors,
  isCapabilityId,
  queueNameFor,
  type CapabilityConstraints,
  type CapabilityDeclaration,
  type CapabilityDescriptor,
  type CapabilityPrice,
  type ModelConstraint,
} from '@lpx/sdk';

/**
 * Operator config for one capability (`capabilities.<id>` in the node config).
 * `models`, when given, is the set of models this node serves: it replaces the
 * declared set, each entry layered over the declared entry of the same model.
 */
export interface CapabilityOverrides {
  capacity?: number;
  price?: CapabilityPrice;
  models?: Record<string, ModelConstraint>;
}

const UINT = /^(0|[1-9][0-9]*)$/;

function invalid(id: string, what: string): Error {
  return errors.capability.INVALID_DECLARATION.create(`capability "${id}": ${what}`, { details: { capabilityId: id } });
}

function checkCount(id: string, field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw invalid(id, `${field} must be a non-negative integer, got ${value}`);
}

function checkPrice(id: string, price: CapabilityPrice | undefined): void {
  if (price === undefined) return;
  if (!UINT.test(price.pricePerUnit)) throw invalid(id, `price.pricePerUnit must be a decimal integer string, got "${price.pricePerUnit}"`);
  if (price.pixelsPerUnit !== undefined && (!UINT.test(price.pixelsPerUnit) || price.pixelsPerUnit === '0')) {
    throw invalid(id, `price.pixelsPerUnit must be a positive decimal integer string, got "${price.pixelsPerUnit}"`);
  }
}

function resolveModels(
  id: string,
  declared: CapabilityConstraints['models'],
  overridden: CapabilityOverrides['models'],
): Record<string, ModelConstraint> | undefined {
  const source = overridden ?? declared;
  if (source === undefined) return undefined;
  const models: Record<string, ModelConstraint> = {};
  for (const [modelId, entry] of Object.entries(source)) {
    if (modelId === '') throw invalid(id, 'a model id is empty');
    const merged: ModelConstraint = { ...(declared?.[modelId] ?? { warm: false }), ...entry };
    checkCount(id, `models["${modelId}"].capacity`, merged.capacity);
    models[modelId] = Object.freeze({ ...merged, warm: merged.warm === true });
  }
  return Object.freeze(models);
}

/**
 * Without an explicit capacity: one unit per model unless the model says
 * otherwise (go-livepeer's `-aiModels` default is 1 per model), and 1 for a
 * capability without models (go-livepeer's default for a listed capability).
 */
export function defaultCapacity(models: Readonly<Record<string, { capacity?: number }>> | undefined): number {
  const entries = Object.values(models ?? {});
  return entries.length === 0 ? 1 : entries.reduce((sum, model) => sum + (model.capacity ?? 1), 0);
}

/** Declaration + operator overrides → the canonical, frozen descriptor. */
export function resolveDescriptor(pluginId: string, declaration: CapabilityDeclaration, overrides: CapabilityOverrides = {}): CapabilityDescriptor {
  const { id } = declaration;
  if (typeof id !== 'string' || !isCapabilityId(id)) {
    throw errors.capability.INVALID_ID.create(`capability id "${String(id)}" from plugin "${pluginId}" is not <domain>/<name> (lowercase, no ':')`, {
      details: { capabilityId: id, pluginId },
    });
  }
  const version = declaration.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 1) throw invalid(id, `version must be an integer ≥ 1, got ${version}`);
  for (const field of ['mode', 'workUnit', 'priceUnit'] as const) {
    if (typeof declaration[field] !== 'string' || declaration[field] === '') throw invalid(id, `${field} is required`);
  }
  checkCount(id, 'capacity', declaration.capacity);
  checkCount(id, 'overrides.capacity', overrides.capacity);
  checkPrice(id, declaration.price);
  checkPrice(id, overrides.price);

  const models = resolveModels(id, declaration.constraints?.models, overrides.models);
  const constraints: CapabilityConstraints = { ...declaration.constraints };
  if (models === undefined) delete constraints.models;
  else constraints.models = models;
  const price = overrides.price ?? declaration.price;

  return Object.freeze({
    id,
    version,
    mode: declaration.mode,
    workUnit: declaration.workUnit,
    priceUnit: declaration.priceUnit,
    ...(declaration.description === undefined ? {} : { description: declaration.description }),
    constraints: Object.freeze(constraints),
    capacity: overrides.capacity ?? declaration.capacity ?? defaultCapacity(models),
    ...(price === undefined ? {} : { price: Object.freeze({ ...price }) }),
    providedBy: pluginId,
    queue: queueNameFor(id, version),
  });
}
