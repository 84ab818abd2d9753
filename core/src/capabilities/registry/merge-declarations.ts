import { errors, type CapabilityDeclaration } from '@lpx/sdk';
import { defaultCapacity } from './resolve-descriptor.js';

export interface ProvidedDeclaration {
  readonly pluginId: string;
  readonly declaration: CapabilityDeclaration;
}

function duplicate(id: string, first: string, second: string, why: string): Error {
  return errors.capability.DUPLICATE.create(`capability "${id}" is declared by plugins "${first}" and "${second}": ${why}`, {
    details: { capabilityId: id, pluginIds: [first, second] },
  });
}

function capacityOf(declaration: CapabilityDeclaration): number {
  return declaration.capacity ?? defaultCapacity(declaration.constraints?.models);
}

/**
 * A second declaration of an id is accepted only when both name their models
 * and the model sets are disjoint (two AI runner plugins each serving their
 * own text-to-image models); the node then advertises one capability with the
 * union and the summed capacity. Anything else is two plugins claiming the
 * same work, which is a boot error rather than a silent pick.
 */
export function mergeDeclarations(existing: ProvidedDeclaration, incoming: ProvidedDeclaration): CapabilityDeclaration {
  const a = existing.declaration;
  const b = incoming.declaration;
  const clash = (why: string): Error => duplicate(a.id, existing.pluginId, incoming.pluginId, why);
  const modelsA = a.constraints?.models;
  const modelsB = b.constraints?.models;
  if (modelsA === undefined || modelsB === undefined) throw clash('at least one of them does not restrict it to named models');
  const shared = Object.keys(modelsB).filter((model) => model in modelsA);
  if (shared.length > 0) throw clash(`both serve model(s) ${shared.join(', ')}`);
  if ((a.version ?? 1) !== (b.version ?? 1)) throw clash(`major version differs (${a.version} vs ${b.version})`);
  for (const field of ['mode', 'workUnit', 'priceUnit'] as const) {
    if (a[field] !== b[field]) throw clash(`${field} differs (${a[field]} vs ${b[field]})`);
  }
  if (a.price && b.price && JSON.stringify(a.price) !== JSON.stringify(b.price)) {
    // One descriptor carries one price; picking either would misprice the other's work.
    throw clash('they declare different prices; set one under capabilities.<id> in the node config');
  }
  const hardware = [...new Set([...(a.constraints?.hardware ?? []), ...(b.constraints?.hardware ?? [])])];
  const price = a.price ?? b.price;
  return {
    ...a,
    constraints: { ...a.constraints, models: { ...modelsA, ...modelsB }, ...(hardware.length > 0 ? { hardware } : {}) },
    capacity: capacityOf(a) + capacityOf(b),
    ...(price === undefined ? {} : { price }),
  };
}
