/**
 * The only way the page makes elements: text goes in as text nodes (`textContent`), never as
 * HTML; attributes are fixed names. Log text (paths, agents, virtual hosts) cannot become markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** Replaces the children of `parent`. */
export function fill(parent: Element, ...children: Array<Node | string>): void {
  parent.replaceChildren(...children.map((c) => (typeof c === 'string' ? document.createTextNode(c) : c)));
}

/**
 * Log text made visible: bidi overrides, zero-width and control characters shown as `\u{..}`
 * so that they cannot reorder or hide what is around them.
 */
export function visible(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`,
  );
}

/** A table: a header row and rows of cells (text only); `empty` when there are no rows. */
export function table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, empty = 'none'): HTMLTableElement {
  const t = el('table');
  t.append(el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: String(head.length), class: 'empty' }, empty)));
  for (const row of rows)
    body.append(
      el(
        'tr',
        {},
        ...row.map((cell) => el('td', typeof cell === 'number' ? { class: 'num' } : {}, typeof cell === 'number' ? num(cell) : cell)),
      ),
    );
  t.append(body);
  return t;
}

/** `12345` -> `12,345`; rates to two decimals. */
export function num(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Bytes with a binary unit. */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** A duration in ms, short: `45 s`, `3 min`, `2 h 5 min`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}
