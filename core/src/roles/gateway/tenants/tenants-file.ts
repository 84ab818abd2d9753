/**
 * `lpx tenants …` edits the node's own config file (ADR 0017): tenants live in
 * `gateway.tenants`, next to every other setting, so one file says who may
 * use the gateway. YAML is edited as a document, so comments and layout
 * survive; JSON is rewritten with two-space indents. The file is replaced
 * atomically and keeps its mode (it may hold keys). The result is validated
 * before it is written: a change that would stop the node from starting is
 * refused. A running gateway reads tenants at start: restart it to apply.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { errors, isLpxError } from '@lpx/sdk';
import { TENANT_NAME_PATTERN, type TenantConfig } from '../../../config/kernel-schema.js';
import { loadConfig } from '../../../config/load-config.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { TenantDirectory } from './tenant-directory.js';

export interface TenantSettings {
  readonly budget?: { readonly spendPerPeriod: string; readonly periodSeconds: number };
  readonly maxPrice?: { readonly pricePerUnit: string; readonly pixelsPerUnit: string };
  readonly capabilities?: readonly string[];
}

export interface TenantSummary {
  readonly name: string;
  readonly keys: number;
  readonly budget: TenantConfig['budget'];
  readonly maxPrice: TenantConfig['maxPrice'];
  readonly capabilities: readonly string[];
}

const TENANTS = ['gateway', 'tenants'] as const;

function refuse(message: string, cause?: unknown): Error {
  return errors.gateway.TENANT_CONFIG.create(message, cause === undefined ? undefined : { cause });
}

/** The file as an editable document: YAML keeps its comments, JSON is a plain object. */
class ConfigFile {
  readonly path: string;
  readonly #json: boolean;
  readonly #yaml: Document | undefined;
  #object: Record<string, unknown>;

  constructor(file: string) {
    this.path = resolve(file);
    this.#json = this.path.endsWith('.json');
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (cause) {
      throw errors.config.FILE_UNREADABLE.create(`cannot read config file ${this.path}: ${(cause as Error).message}`, { cause });
    }
    try {
      if (this.#json) {
        this.#object = (JSON.parse(text) ?? {}) as Record<string, unknown>;
      } else {
        this.#yaml = parseDocument(text);
        if (this.#yaml.errors.length > 0) throw this.#yaml.errors[0];
        this.#object = {};
      }
    } catch (cause) {
      throw errors.config.PARSE.create(`${this.path}: not valid ${this.#json ? 'JSON' : 'YAML'}: ${(cause as Error).message}`, { cause });
    }
  }

  toJS(): Record<string, unknown> {
    return this.#yaml !== undefined ? ((this.#yaml.toJS() ?? {}) as Record<string, unknown>) : structuredClone(this.#object);
  }

  tenants(): Record<string, TenantConfig> {
    const gateway = this.toJS().gateway as { tenants?: Record<string, TenantConfig> } | undefined;
    return gateway?.tenants ?? {};
  }

  setTenant(name: string, tenant: Record<string, unknown>): void {
    if (this.#yaml !== undefined) this.#yaml.setIn([...TENANTS, name], this.#yaml.createNode(tenant));
    else {
      const gateway = (this.#object.gateway ??= {}) as Record<string, unknown>;
      const tenants = (gateway.tenants ??= {}) as Record<string, unknown>;
      tenants[name] = tenant;
    }
  }

  /** Appends a key hash (or replaces them all), leaving the rest of the tenant's entry as written. */
  addKey(name: string, hash: string, replace: boolean): void {
    if (this.#yaml !== undefined) {
      const path = [...TENANTS, name, 'keys'];
      const keys = this.#yaml.getIn(path);
      if (replace || !isSeq(keys)) this.#yaml.setIn(path, this.#yaml.createNode([hash]));
      else this.#yaml.addIn(path, hash);
      return;
    }
    const tenant = (this.#object.gateway as { tenants: Record<string, { keys?: string[] }> }).tenants[name]!;
    tenant.keys = replace ? [hash] : [...(tenant.keys ?? []), hash];
  }

  removeTenant(name: string): void {
    if (this.#yaml !== undefined) {
      this.#yaml.deleteIn([...TENANTS, name]);
      const tenants = this.#yaml.getIn(TENANTS);
      // An empty `tenants: {}` would read as "open gateway" anyway; keep the file tidy.
      if (isMap(tenants) && tenants.items.length === 0) this.#yaml.deleteIn(TENANTS);
      return;
    }
    const gateway = this.#object.gateway as { tenants: Record<string, unknown> };
    delete gateway.tenants[name];
    if (Object.keys(gateway.tenants).length === 0) delete (gateway as { tenants?: unknown }).tenants;
  }

  /** Validates the edited config as the node would, then replaces the file atomically, keeping its mode. */
  save(): void {
    try {
      const { config } = loadConfig({ raw: this.toJS(), env: {} });
      new TenantDirectory(config.gateway.tenants);
    } catch (error) {
      throw refuse(`the change would make ${this.path} invalid: ${isLpxError(error) ? `${error.code}: ${error.message}` : String(error)}`, error);
    }
    const text = this.#yaml !== undefined ? this.#yaml.toString() : `${JSON.stringify(this.#object, null, 2)}\n`;
    const mode = statSync(this.path).mode & 0o777;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, text, { mode });
    renameSync(temp, this.path);
  }
}

function checkName(name: string): void {
  if (!new RegExp(TENANT_NAME_PATTERN).test(name)) throw refuse(`"${name}" is not a tenant name (lowercase letters, digits, '-' and '_', at most 63, starting with a letter or digit)`);
}

function tenantEntry(hash: string, settings: TenantSettings): Record<string, unknown> {
  return {
    keys: [hash],
    ...(settings.budget !== undefined ? { budget: { ...settings.budget } } : {}),
    ...(settings.maxPrice !== undefined ? { maxPrice: { ...settings.maxPrice } } : {}),
    ...(settings.capabilities !== undefined ? { capabilities: [...settings.capabilities] } : {}),
  };
}

/** Adds a tenant with one new key; returns the key (the file keeps only its hash). */
export function addTenant(file: string, name: string, settings: TenantSettings = {}): { apiKey: string; file: string } {
  checkName(name);
  const config = new ConfigFile(file);
  if (config.tenants()[name] !== undefined) throw refuse(`tenant ${name} already exists in ${config.path}; use \`lpx tenants key ${name}\` for another key`);
  const apiKey = generateApiKey();
  config.setTenant(name, tenantEntry(hashApiKey(apiKey), settings));
  config.save();
  return { apiKey, file: config.path };
}

/** A new key for a tenant; `replace` revokes every key it had (rotation). */
export function addTenantKey(file: string, name: string, options: { replace?: boolean } = {}): { apiKey: string; file: string } {
  const config = new ConfigFile(file);
  if (config.tenants()[name] === undefined) throw refuse(`no tenant ${name} in ${config.path}`);
  const apiKey = generateApiKey();
  config.addKey(name, hashApiKey(apiKey), options.replace === true);
  config.save();
  return { apiKey, file: config.path };
}

export function removeTenant(file: string, name: string): { file: string } {
  const config = new ConfigFile(file);
  if (config.tenants()[name] === undefined) throw refuse(`no tenant ${name} in ${config.path}`);
  config.removeTenant(name);
  config.save();
  return { file: config.path };
}

export function listTenants(file: string): TenantSummary[] {
  const tenants = new ConfigFile(file).tenants();
  return Object.entries(tenants).map(([name, tenant]) => ({
    name,
    keys: tenant.keys?.length ?? 0,
    budget: tenant.budget,
    maxPrice: tenant.maxPrice,
    capabilities: tenant.capabilities ?? ['*'],
  }));
}
