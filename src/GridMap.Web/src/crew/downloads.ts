// Offline data: what is stored (its size and age, and whether the network changed since), and the three ways to
// download an area — the view, a box drawn on the map, or my grid cell (where I stand, or the map's centre when I
// have no position yet). Before a download the crew sees its size; "检查更新" downloads again only what changed.
import VectorSource from 'ol/source/Vector';
import Draw, { createBox } from 'ol/interaction/Draw';
import { toLonLat, transformExtent } from 'ol/proj';
import { humanMessage } from '../api/problem';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { crewApi } from './crewApi';
import { AREA_LAYER_NAMES, downloadArea, refreshArea, type AreaLayer, type OfflineArea } from './offline';

type Bbox = [number, number, number, number];

/** "1.2 MB" / "350 KB". */
export function formatBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} KB`;
}

/** "刚刚" / "25 分钟前" / "3 小时前" / "2 天前". */
export function formatAge(iso: string, now = Date.now()): string {
  const min = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000));
  if (min < 1) return '刚刚';
  if (min < 60) return `${min} 分钟前`;
  if (min < 48 * 60) return `${Math.round(min / 60)} 小时前`;
  return `${Math.round(min / 1440)} 天前`;
}

export function offlineDownloads(ctx: CrewContext): void {
  const { map, state, sheet } = ctx;
  const { offlineStatus, offlineSummary, downloadViewBtn, drawBtn, cellBtn, refreshBtn } = sheet;
  const buttons = [downloadViewBtn, drawBtn, cellBtn, refreshBtn];

  const renderStatus = () => {
    const area = state.area;
    refreshBtn.hidden = !area;
    if (!area) {
      offlineStatus.textContent = state.online ? '尚未下载离线数据：下载后，断网时仍可在该范围内定位、查附近管段和生成关阀方案。' : '没有离线数据：此手机尚未下载任何范围，需联网后下载。';
      offlineStatus.dataset.state = 'none';
      offlineSummary.textContent = '未下载';
      return;
    }
    const n = (id: AreaLayer) => area.layers[id].features.length;
    const age = formatAge(area.savedAt);
    offlineStatus.dataset.state = 'saved';
    offlineSummary.textContent = `${area.name} · ${age}`;
    offlineStatus.replaceChildren(
      h('span', { 'data-testid': 'crew-offline-age', 'data-saved-at': area.savedAt }, `已下载：${area.name}，${age}（${new Date(area.savedAt).toLocaleString('zh-CN')}）`),
      area.bytes ? `，共 ${formatBytes(area.bytes)}` : '',
      `。管段 ${n('pipes')}、阀门 ${n('valves')}、小区 ${n('compounds')}、换热站 ${n('stations')}`,
      area.version !== undefined ? `；管网版本 ${area.version}` : '',
      area.checkedAt && area.checkedAt !== area.savedAt ? `；${formatAge(area.checkedAt)}检查过，无变化` : '',
      area.truncated.length ? `；部分图层不完整：${area.truncated.map((id) => AREA_LAYER_NAMES[id] ?? id).join('、')}` : '',
      '。',
    );
  };
  renderStatus();
  // Online: say when the stored package is older than the network on the server.
  if (state.online && state.area?.version !== undefined) {
    void crewApi.status().then((status) => {
      if (state.area?.version !== undefined && state.area.version !== status.version) {
        offlineStatus.dataset.stale = 'true';
        offlineStatus.append(h('strong', { class: 'crew-error', 'data-testid': 'crew-offline-stale' }, ` 管网数据已更新（版本 ${state.area.version} → ${status.version}），请点“检查更新”。`));
      }
    }, () => undefined);
  }

  const busy = (on: boolean) => {
    for (const b of buttons) b.disabled = on || !state.online;
  };

  /** Shows the size, then downloads when the crew confirms. */
  const confirmDownload = async (name: string, bbox: Bbox) => {
    const w = (bbox[2] - bbox[0]) * 111e3 * Math.cos(((bbox[1] + bbox[3]) / 2) * (Math.PI / 180));
    const hgt = (bbox[3] - bbox[1]) * 111e3;
    sheet.offlineBox.open = true;
    if (w * hgt > 36e6) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `范围太大（约 ${(w / 1000).toFixed(1)} × ${(hgt / 1000).toFixed(1)} 公里）：请缩小到 6 × 6 公里以内。`;
      return;
    }
    busy(true);
    offlineStatus.dataset.state = 'sizing';
    offlineStatus.textContent = '正在估算下载大小…';
    try {
      const s = await crewApi.topologySummary(bbox.map((v) => v.toFixed(6)).join(','));
      // Layers: about 0.6 KB per pipe with its valves and the compounds and roads around it (measured on the demo city).
      const estimate = s.gzip_bytes + s.pipes_in_area * 600;
      offlineStatus.dataset.state = 'confirm';
      const go = h('button', { type: 'button', class: 'primary', 'data-testid': 'crew-download-go' }, '开始下载');
      const cancel = h('button', { type: 'button', 'data-testid': 'crew-download-cancel' }, '取消');
      offlineStatus.replaceChildren(
        h('span', { 'data-testid': 'crew-download-size', 'data-bytes': estimate }, `${name}：约 ${formatBytes(estimate)}（管网拓扑 ${formatBytes(s.gzip_bytes)}，全市拓扑为 ${formatBytes(s.city_gzip_bytes)}；本范围管段 ${s.pipes_in_area} 条；含本范围的底图与管网图层：矢量数据，离线时直接绘制，不另存瓦片）。`),
        h('span', { class: 'crew-buttons' }, go, cancel),
      );
      busy(false);
      await new Promise<void>((resolve, reject) => {
        go.onclick = () => resolve();
        cancel.onclick = () => reject(new Error('cancel'));
      });
    } catch (e) {
      busy(false);
      if (e instanceof Error && e.message === 'cancel') return renderStatus();
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `无法估算大小：${humanMessage(e)}`;
      return;
    }
    busy(true);
    offlineStatus.dataset.state = 'downloading';
    try {
      state.area = await downloadArea(name, bbox, (t) => (offlineStatus.textContent = t));
      state.planner = null;
      renderStatus();
    } catch (e) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `下载失败：${humanMessage(e)}`;
    } finally {
      busy(false);
    }
  };

  downloadViewBtn.addEventListener('click', () => {
    const ext = transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326') as Bbox;
    void confirmDownload('当前范围', ext);
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
      void confirmDownload('画定范围', ext);
    });
  });

  cellBtn.addEventListener('click', async () => {
    // Where I stand (GPS or set by hand); without a position, the map's centre (the view starts at my branch).
    const fix = state.fix;
    const [lon, lat] = fix ? [fix.lon, fix.lat] : (toLonLat(map.getView().getCenter()!) as [number, number]);
    const where = fix ? (fix.manual ? '手动定位处' : '当前位置') : '地图中心';
    const d = 0.00001;
    sheet.offlineBox.open = true;
    try {
      const fc = await crewApi.features('cells', `${lon - d},${lat - d},${lon + d},${lat + d}`, 5);
      const cell = fc.features[0];
      if (!cell?.geometry) {
        const r = 0.0135;
        await confirmDownload(`${where}周边 1.5 公里（此处尚未划分网格）`, [lon - r * 1.2, lat - r, lon + r * 1.2, lat + r]);
        return;
      }
      const coords = JSON.stringify(cell.geometry.coordinates).match(/-?\d+\.?\d*/g)!.map(Number);
      const xs = coords.filter((_, i) => i % 2 === 0);
      const ys = coords.filter((_, i) => i % 2 === 1);
      await confirmDownload(`网格 ${String(cell.properties.name ?? cell.properties.code ?? '')}（${where}所在）`, [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
    } catch (e) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `下载失败：${humanMessage(e)}`;
    }
  });

  refreshBtn.addEventListener('click', async () => {
    const area: OfflineArea | undefined = state.area;
    if (!area) return;
    busy(true);
    offlineStatus.dataset.state = 'downloading';
    try {
      const r = await refreshArea(area, (t) => (offlineStatus.textContent = t));
      state.area = r.area;
      if (r.changed) state.planner = null;
      renderStatus();
      offlineStatus.dataset.refresh = r.changed ? 'updated' : 'unchanged';
      offlineStatus.append(h('strong', { 'data-testid': 'crew-refresh-result' }, r.changed ? ' 已更新：管网有变化，已重新下载管网数据（底图未重下）。' : ' 已是最新：管网没有变化，未重新下载。'));
    } catch (e) {
      offlineStatus.dataset.state = 'error';
      offlineStatus.textContent = `检查更新失败：${humanMessage(e)}`;
    } finally {
      busy(false);
    }
  });
}
