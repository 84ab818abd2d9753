import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { errors } from '@lpx/sdk';

type Path = readonly (string | number)[];

/**
 * A node config file opened for editing by a CLI command (`lpx tenants …`,
 * `lpx plugin install`). YAML is edited as a document, so comments and layout
 * survive; JSON is rewritten with two-space indents. `write` replaces the file
 * atomically and keeps its mode (it may hold keys). Callers validate
 * `toJS()` before writing: a change that would stop the node is refused.
 */
export class EditableConfigFile {
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

  /** The plain value at `path`, or undefined. */
  getIn(path: Path): unknown {
    let node: unknown = this.toJS();
    for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
    return node;
  }

  /** Sets `path` to `value`, creating the maps on the way. */
  setIn(path: Path, value: unknown): void {
    if (this.#yaml !== undefined) {
      this.#yaml.setIn(path, this.#yaml.createNode(value));
      return;
    }
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => (node[key] ??= {}) as Record<string | number, unknown>, this.#object);
    parent[path.at(-1)!] = value;
  }

  /** Appends `value` to the list at `path` (creating it), keeping the list's items as written. */
  appendIn(path: Path, value: unknown): void {
    if (this.#yaml !== undefined && isSeq(this.#yaml.getIn(path))) this.#yaml.addIn(path, value);
    else this.setIn(path, [...((this.getIn(path) as unknown[] | undefined) ?? []), value]);
  }

  /** Deletes `path`; then, if `pruneEmpty`, the map that held it when nothing is left in it. */
  deleteIn(path: Path, pruneEmpty = false): void {
    const parentPath = path.slice(0, -1);
    if (this.#yaml !== undefined) {
      this.#yaml.deleteIn(path);
      const parent = this.#yaml.getIn(parentPath);
      if (pruneEmpty && isMap(parent) && parent.items.length === 0) this.#yaml.deleteIn(parentPath);
      return;
    }
    const parent = parentPath.reduce<Record<string | number, unknown> | undefined>((node, key) => node?.[key] as Record<string | number, unknown> | undefined, this.#object);
    if (parent === undefined) return;
    delete parent[path.at(-1)!];
    if (pruneEmpty && Object.keys(parent).length === 0 && parentPath.length > 0) this.deleteIn(parentPath);
  }

  /** Replaces the file atomically, keeping its mode. */
  write(): void {
    const text = this.#yaml !== undefined ? this.#yaml.toString() : `${JSON.stringify(this.#object, null, 2)}\n`;
    const mode = statSync(this.path).mode & 0o777;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, text, { mode });
    renameSync(temp, this.path);
  }
}
