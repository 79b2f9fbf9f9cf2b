// Checkboxes that show/hide map layers, grouped as 底图 / 改造 / 管网. Layers that need a closer
// zoom say so instead of silently showing nothing.
import type Map from 'ol/Map';
import type { LayerGroup, MapLayer } from '../map/layers';
import { h, panel } from './dom';

const groupTitles: Record<LayerGroup, string> = { basemap: '底图', campaign: '改造', network: '管网' };

export function createLayerSwitcher(map: Map, layers: MapLayer[]): HTMLElement {
  const hints: { layer: MapLayer; hint: HTMLElement; item: HTMLElement }[] = [];
  const groups = (Object.keys(groupTitles) as LayerGroup[]).map((g) => {
    const items = layers
      .filter((l) => l.group === g)
      .map((l) => {
        const box = h('input', { type: 'checkbox', 'data-testid': `layer-${l.id}`, 'data-layer': l.id }) as HTMLInputElement;
        box.checked = l.layer.getVisible();
        box.addEventListener('change', () => l.layer.setVisible(box.checked));
        const hint = h('span', { class: 'layer-hint' });
        const item = h('li', {}, h('label', {}, box, h('span', {}, l.title), hint));
        hints.push({ layer: l, hint, item });
        return item;
      });
    return items.length ? h('fieldset', {}, h('legend', {}, groupTitles[g]), h('ul', { role: 'list' }, ...items)) : null;
  });

  const updateHints = () => {
    const z = map.getView().getZoom() ?? 0;
    for (const { layer, hint, item } of hints) {
      const tooFar = z < layer.minZoom - 0.001;
      hint.textContent = tooFar ? `（放大至 ${layer.minZoom} 级显示）` : '';
      item.classList.toggle('inactive', tooFar);
    }
  };
  map.getView().on('change:resolution', updateHints);
  updateHints();

  return panel('图层', 'layer-switcher', 'layers', ...groups);
}
