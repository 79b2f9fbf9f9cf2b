// A tiny element builder: enough for panels and legends without a UI framework.
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined | null | ((e: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(width: number, height: number, inner: string): SVGSVGElement {
  const s = document.createElementNS(SVG, 'svg');
  s.setAttribute('width', String(width));
  s.setAttribute('height', String(height));
  s.setAttribute('viewBox', `0 0 ${width} ${height}`);
  s.setAttribute('aria-hidden', 'true');
  s.innerHTML = inner;
  return s;
}

/** A collapsible panel; on phone-width screens panels start closed so the map stays visible. */
export function panel(title: string, testId: string, cls: string, ...body: Child[]): HTMLDetailsElement {
  const d = h('details', { class: `panel ${cls}`, 'data-testid': testId }, h('summary', {}, title), h('div', { class: 'panel-body' }, ...body));
  d.open = !isNarrow();
  return d;
}

export function isNarrow(): boolean {
  return window.matchMedia('(max-width: 720px)').matches;
}
