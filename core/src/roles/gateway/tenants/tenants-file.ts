/**
 * `lpx tenants …` edits the node's own config file (ADR 0017): tenants live in
 * `gateway.tenants`, next to every other setting, so one file says who may
 * use the gateway. YAML is edited as a document, so comments and layout
 * survive; JSON is rewritten with two-space indents. The file is replaced
 * atomically and keeps its mode (it may hold keys). The result is validated
 * before it is written: a change that would stop the node from starting is
 * refused. A running gateway reads tenants at start: restart it to apply.
 */
import { errors, isLpxError } from '@lpx/sdk';
import { TENANT_NAME_PATTERN, type TenantConfig } from '../../../config/kernel-schema.js';
import { EditableConfigFile } from '../../../config/editable-config-file.js';
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

/** The config file with the tenant edits `lpx tenants` makes. */
class ConfigFile extends EditableConfigFile {
  tenants(): Record<string, TenantConfig> {
    const gateway = this.toJS().gateway as { tenants?: Record<string, TenantConfig> } | undefined;
    return gateway?.tenants ?? {};
  }

  setTenant(name: string, tenant: Record<string, unknown>): void {
    this.setIn([...TENANTS, name], tenant);
  }

  /** Appends a key hash (or replaces them all), leaving the rest of the tenant's entry as written. */
  addKey(name: string, hash: string, replace: boolean): void {
    const path = [...TENANTS, name, 'keys'];
    if (replace) this.setIn(path, [hash]);
    else this.appendIn(path, hash);
  }

  removeTenant(name: string): void {
    // An empty `tenants: {}` would read as "open gateway" anyway; keep the file tidy.
    this.deleteIn([...TENANTS, name], true);
  }

  /** Validates the edited config as the node would, then replaces the file atomically, keeping its mode. */
  save(): void {
    try {
      const { config } = loadConfig({ raw: this.toJS(), env: {} });
      new TenantDirectory(config.gateway.tenants);
    } catch (error) {
      throw refuse(`the change would make ${this.path} invalid: ${isLpxError(error) ? `${error.code}: ${error.message}` : String(error)}`, error);
    }
    this.write();
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
