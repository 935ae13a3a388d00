// A few DOM helpers: the pages are small enough not to need a framework.

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/**
 * Shows a number: `text` as the reader sees it, the raw value in data-value (what the browser
 * tests compare with the API).
 */
export function showValue(testId: string, value: number | string | null, text: string): void {
  const el = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (!el) throw new Error(`the page has no [data-testid="${testId}"]`);
  el.dataset.value = value === null ? '' : String(value);
  el.textContent = text;
}

/** A coloured label: ok, warn, bad or muted. */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'muted'): HTMLSpanElement {
  return h('span', { class: `badge ${tone}` }, text);
}

export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
