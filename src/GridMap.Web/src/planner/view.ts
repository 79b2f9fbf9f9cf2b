// The part of the map a planner actually sees: the map fills the window and the two side columns float over it, so a
// plan is fitted to the strip between them (padding measured from the columns as they are now, collapsed or not), and
// each column can be folded to a narrow tab to give the map the whole width.
import type Map from 'ol/Map';
import type { Extent } from 'ol/extent';
import { h } from '../ui/dom';

const GAP = 16;

/** Padding [top, right, bottom, left] in pixels that keeps a fitted extent clear of the side columns. */
export function visiblePadding(map: Map): [number, number, number, number] {
  const target = map.getTargetElement();
  const box = target?.getBoundingClientRect();
  const root = target?.parentElement;
  if (!box || !root) return [40, 40, 40, 40];
  const side = (cls: string) => {
    const el = root.querySelector<HTMLElement>(`.side.${cls}`);
    return el && !el.classList.contains('collapsed') && el.offsetParent !== null ? el.getBoundingClientRect() : null;
  };
  const left = side('planner-left');
  const right = side('planner-right');
  // On a phone the columns stack over the map (top / bottom) rather than beside it: plain padding then.
  const beside = box.width > 720;
  return [
    40,
    beside && right ? Math.max(0, box.right - right.left) + GAP : 40,
    40,
    beside && left ? Math.max(0, left.right - box.left) + GAP : 40,
  ];
}

/** Fits <paramref name="extent"/> (map projection) into the visible part of the map. */
export function fitVisible(map: Map, extent: Extent, options: { maxZoom?: number; duration?: number } = {}): void {
  const size = map.getSize();
  const padding = visiblePadding(map);
  // Never pad the map to nothing: at least 200 px of it stay for the plan.
  if (size && size[0] - padding[1] - padding[3] < 200) {
    const spare = Math.max(0, size[0] - 200);
    const scale = spare / Math.max(1, padding[1] + padding[3]);
    padding[1] *= scale;
    padding[3] *= scale;
  }
  map.getView().fit(extent, { padding, maxZoom: options.maxZoom ?? 17, duration: options.duration });
}

/** The extent (map projection) of the visible strip between the side columns. */
export function visibleExtent(map: Map): Extent | null {
  const size = map.getSize();
  if (!size) return null;
  const [top, right, bottom, left] = visiblePadding(map);
  const a = map.getCoordinateFromPixel([left, top]);
  const b = map.getCoordinateFromPixel([size[0] - right, size[1] - bottom]);
  return a && b ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])] : null;
}

/**
 * A fold button for a side column: folded, the column is a narrow tab and the map behind it is free. What the planner
 * saw in the visible strip stays in view: it is fitted again to the strip as it is after the change.
 */
export function collapsible(map: Map, side: HTMLElement, name: string, testId: string): HTMLButtonElement {
  const fold = side.classList.contains('left') ? '◀' : '▶';
  const unfold = side.classList.contains('left') ? '▶' : '◀';
  const btn = h('button', { type: 'button', class: 'side-toggle', 'data-testid': testId, 'aria-expanded': 'true', title: `收起${name}，让出地图` }, `${fold} 收起`);
  btn.addEventListener('click', () => {
    const seen = visibleExtent(map);
    const collapsed = side.classList.toggle('collapsed');
    btn.setAttribute('aria-expanded', String(!collapsed));
    btn.textContent = collapsed ? `${unfold} ${name}` : `${fold} 收起`;
    btn.title = collapsed ? `展开${name}` : `收起${name}，让出地图`;
    if (seen) fitVisible(map, seen, { maxZoom: map.getView().getMaxZoom() });
  });
  side.prepend(btn);
  return btn;
}
