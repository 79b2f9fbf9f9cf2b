// Offline data: what is stored (and whether the network changed since), and the three ways to download an area —
// the view, a box drawn on the map, or the grid cell I stand in.
import VectorSource from 'ol/source/Vector';
import Draw, { createBox } from 'ol/interaction/Draw';
import { transformExtent } from 'ol/proj';
import { humanMessage } from '../api/problem';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { crewApi } from './crewApi';
import { AREA_LAYER_NAMES, downloadArea, offlineStore, type AreaLayer } from './offline';

type Bbox = [number, number, number, number];

export function offlineDownloads(ctx: CrewContext): void {
  const { map, state, sheet } = ctx;
  const { offlineStatus, downloadViewBtn, drawBtn, cellBtn } = sheet;

  const renderStatus = () => {
    const area = state.area;
    if (!area) {
      offlineStatus.textContent = '尚未下载离线数据。';
      offlineStatus.dataset.state = 'none';
      return;
    }
    const n = (id: AreaLayer) => area.layers[id].features.length;
    offlineStatus.dataset.state = 'saved';
    offlineStatus.textContent = `已下载：${area.name}（${new Date(area.savedAt).toLocaleString('zh-CN')}）管段 ${n('pipes')}、阀门 ${n('valves')}、小区 ${n('compounds')}、换热站 ${n('stations')}${area.truncated.length ? `；部分图层不完整：${area.truncated.map((id) => AREA_LAYER_NAMES[id] ?? id).join('、')}` : ''}`;
  };
  renderStatus();
  // Online: say when the stored topology is older than the network on the server (pipes or valves changed since).
  if (state.online && state.area) {
    void Promise.all([offlineStore.topology(), crewApi.status()])
      .then(([topo, status]) => {
        if (topo && topo.version !== status.version) {
          offlineStatus.dataset.stale = 'true';
          offlineStatus.append(h('strong', { class: 'crew-error' }, ` 管网数据已更新（版本 ${topo.version} → ${status.version}），请重新下载。`));
        }
      })
      .catch(() => undefined);
  }

  const download = async (name: string, bbox: Bbox) => {
    const w = (bbox[2] - bbox[0]) * 111e3 * Math.cos(((bbox[1] + bbox[3]) / 2) * (Math.PI / 180));
    const hgt = (bbox[3] - bbox[1]) * 111e3;
    if (w * hgt > 36e6) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `范围太大（约 ${(w / 1000).toFixed(1)} × ${(hgt / 1000).toFixed(1)} 公里）：请缩小到 6 × 6 公里以内。`;
      return;
    }
    for (const b of [downloadViewBtn, drawBtn, cellBtn]) b.disabled = true;
    offlineStatus.dataset.state = 'downloading';
    try {
      state.area = await downloadArea(name, bbox, (t) => (offlineStatus.textContent = t));
      state.planner = null;
      renderStatus();
    } catch (e) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `下载失败：${humanMessage(e)}`;
    } finally {
      for (const b of [downloadViewBtn, drawBtn, cellBtn]) b.disabled = !state.online;
    }
  };

  downloadViewBtn.addEventListener('click', () => {
    const ext = transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326') as Bbox;
    void download('当前范围', ext);
  });

  let draw: Draw | null = null;
  drawBtn.addEventListener('click', () => {
    if (draw) return;
    draw = new Draw({ source: new VectorSource(), type: 'Circle', geometryFunction: createBox() });
    map.addInteraction(draw);
    offlineStatus.textContent = '在地图上拖出一个矩形范围…';
    draw.on('drawend', (e) => {
      const ext = transformExtent(e.feature.getGeometry()!.getExtent(), 'EPSG:3857', 'EPSG:4326') as Bbox;
      map.removeInteraction(draw!);
      draw = null;
      void download('画定范围', ext);
    });
  });

  cellBtn.addEventListener('click', async () => {
    const fix = state.fix;
    if (!fix) {
      offlineStatus.textContent = '尚未定位，无法确定所在网格。';
      return;
    }
    const d = 0.00001;
    try {
      const fc = await crewApi.features('cells', `${fix.lon - d},${fix.lat - d},${fix.lon + d},${fix.lat + d}`, 5);
      const cell = fc.features[0];
      if (!cell?.geometry) {
        offlineStatus.textContent = '所在位置没有网格（尚未划分）：改为下载周边 1.5 公里。';
        const r = 0.0135;
        await download('周边 1.5 公里', [fix.lon - r * 1.2, fix.lat - r, fix.lon + r * 1.2, fix.lat + r]);
        return;
      }
      const coords = JSON.stringify(cell.geometry.coordinates).match(/-?\d+\.?\d*/g)!.map(Number);
      const xs = coords.filter((_, i) => i % 2 === 0);
      const ys = coords.filter((_, i) => i % 2 === 1);
      await download(`网格 ${String(cell.properties.name ?? cell.properties.code ?? '')}`, [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
    } catch (e) {
      offlineStatus.textContent = `下载失败：${humanMessage(e)}`;
    }
  });
}
