// The crew page: the map on top and a scrolling sheet below (position and its accuracy, coordinates, the nearest
// pipes, the isolation plan, offline data).
import { h } from '../../ui/dom';

export const LIMIT_KEY = 'gridmap.crew.accuracyLimit';

export interface Sheet {
  page: HTMLElement;
  mapEl: HTMLElement;
  accuracyEl: HTMLElement;
  warnEl: HTMLElement;
  limitInput: HTMLInputElement;
  wgsEl: HTMLElement;
  gkEl: HTMLElement;
  headingNote: HTMLElement;
  nearestList: HTMLElement;
  planBox: HTMLElement;
  offlineStatus: HTMLElement;
  downloadViewBtn: HTMLButtonElement;
  drawBtn: HTMLButtonElement;
  cellBtn: HTMLButtonElement;
  /** Accuracy warning threshold (metres) the crew set. */
  limit(): number;
}

export function createSheet(online: boolean): Sheet {
  const mapEl = h('div', { class: 'crew-map', 'data-testid': 'crew-map' });
  const modeBadge = h('span', { class: `crew-mode ${online ? 'online' : 'offline'}`, 'data-testid': 'crew-mode', 'data-mode': online ? 'online' : 'offline' }, online ? '在线' : '离线');
  const accuracyEl = h('span', { 'data-testid': 'crew-accuracy' }, '定位中…');
  const warnEl = h('div', { class: 'crew-warning', 'data-testid': 'crew-accuracy-warning', hidden: true });
  const limitInput = h('input', { type: 'number', min: '1', max: '500', step: '1', value: localStorage.getItem(LIMIT_KEY) ?? '30', 'data-testid': 'crew-accuracy-limit', 'aria-label': '精度告警阈值（米）' });
  const wgsEl = h('div', { class: 'crew-coord', 'data-testid': 'crew-wgs84' }, 'WGS84：—');
  const gkEl = h('div', { class: 'crew-coord', 'data-testid': 'crew-cgcs2000' }, 'CGCS2000：—');
  // Phone compass (Android: deviceorientationabsolute; iOS: webkitCompassHeading). Without one, arrows are
  // relative to north, like the map.
  const headingNote = h('span', { class: 'crew-dir', 'data-testid': 'crew-heading' }, '箭头以正北为上');
  const nearestList = h('ol', { class: 'crew-nearest', 'data-testid': 'crew-nearest', 'data-state': 'waiting' });
  const planBox = h('section', { class: 'crew-plan', 'data-testid': 'crew-plan', 'data-state': 'none' }, h('p', { class: 'muted' }, '点选管段（列表或地图）生成关阀方案。'));
  const offlineStatus = h('div', { class: 'crew-offline-status', 'data-testid': 'crew-offline-status' });
  const downloadViewBtn = h('button', { type: 'button', 'data-testid': 'crew-download', disabled: !online }, '下载当前范围');
  const drawBtn = h('button', { type: 'button', 'data-testid': 'crew-draw', disabled: !online }, '画框下载');
  const cellBtn = h('button', { type: 'button', 'data-testid': 'crew-download-cell', disabled: !online }, '下载我的网格');

  const sheet = h(
    'div',
    { class: 'crew-sheet', 'data-testid': 'crew-panel' },
    h('div', { class: 'crew-row' }, modeBadge, h('span', { class: 'crew-acc' }, '精度 ', accuracyEl), h('label', { class: 'crew-limit' }, '告警 >', limitInput, '米')),
    warnEl,
    wgsEl,
    gkEl,
    h('h3', {}, '附近管段', headingNote),
    nearestList,
    planBox,
    h('details', { class: 'crew-offline' }, h('summary', {}, '离线数据'), offlineStatus, h('div', { class: 'crew-buttons' }, cellBtn, downloadViewBtn, drawBtn)),
  );
  const page = h('div', { class: 'crew', 'data-testid': 'crew', 'data-mode': online ? 'online' : 'offline' }, mapEl, sheet);
  return {
    page, mapEl, accuracyEl, warnEl, limitInput, wgsEl, gkEl, headingNote, nearestList, planBox, offlineStatus, downloadViewBtn, drawBtn, cellBtn,
    limit: () => Math.max(1, Number(limitInput.value) || 30),
  };
}
