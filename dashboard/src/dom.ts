/** A tiny hyperscript: the page is a few tables, not worth a framework. Text goes in as text nodes, never HTML. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value);
  append(el, children);
  return el;
}

function append(el: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.appendChild(typeof child === 'object' ? (child as Node) : document.createTextNode(String(child)));
  }
}

/** A card: a titled section with a stable test id. */
export function card(id: string, title: string, ...body: Child[]): HTMLElement {
  return h('section', { class: 'card', 'data-testid': id }, h('h2', {}, title), ...body);
}

export function wideCard(id: string, title: string, ...body: Child[]): HTMLElement {
  const el = card(id, title, ...body);
  el.classList.add('wide');
  return el;
}

export function table(headers: readonly string[], rows: readonly (readonly Child[])[], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell))))),
  );
}

/** Label/value pairs. */
export function facts(pairs: readonly (readonly [string, Child])[]): HTMLElement {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}
