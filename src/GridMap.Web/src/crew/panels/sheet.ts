// The crew page: the map on top and a scrolling sheet below: position and its accuracy, a search to set the position
// by hand, offline data (near the top), coordinates, the nearest pipes, the isolation plan.
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
  /** Offline data: the collapsible section near the top of the sheet, and its one-line summary (size, age). */
  offlineBox: HTMLDetailsElement;
  offlineSummary: HTMLElement;
  /** "Check for updates" of the downloaded area (re-downloads only when the network changed). */
  refreshBtn: HTMLButtonElement;
  /** Where am I when GPS fails: search box, its results, and the message about the position. */
  searchInput: HTMLInputElement;
  searchBtn: HTMLButtonElement;
  searchResults: HTMLElement;
  locateMsg: HTMLElement;
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
  const refreshBtn = h('button', { type: 'button', 'data-testid': 'crew-refresh', disabled: !online, hidden: true }, '检查更新');
  const offlineSummary = h('span', { class: 'crew-offline-summary', 'data-testid': 'crew-offline-summary' }, '未下载');
  // Near the top (not at the bottom of the scrolling sheet): a crew about to lose the network must find it at once.
  const offlineBox = h(
    'details',
    { class: 'crew-offline', 'data-testid': 'crew-offline', open: !online || undefined },
    h('summary', {}, h('span', {}, '离线数据'), offlineSummary),
    offlineStatus,
    h('div', { class: 'crew-buttons' }, cellBtn, downloadViewBtn, drawBtn, refreshBtn),
  ) as HTMLDetailsElement;
  // Position by hand: search a compound, address, station or valve id, or long-press the map.
  const searchInput = h('input', { type: 'search', class: 'crew-search-input', 'data-testid': 'crew-search', placeholder: '搜索小区、地址、换热站或阀门编号', 'aria-label': '搜索位置', enterkeyhint: 'search' });
  const searchBtn = h('button', { type: 'button', class: 'crew-search-btn', 'data-testid': 'crew-search-go' }, '搜索');
  const searchResults = h('ul', { class: 'crew-search-results', 'data-testid': 'crew-search-results', hidden: true });
  const locateMsg = h('p', { class: 'crew-locate-msg', 'data-testid': 'crew-locate-msg', role: 'status', hidden: true });

  const sheet = h(
    'div',
    { class: 'crew-sheet', 'data-testid': 'crew-panel' },
    h('div', { class: 'crew-row' }, modeBadge, h('span', { class: 'crew-acc' }, '精度 ', accuracyEl), h('label', { class: 'crew-limit' }, '告警 >', limitInput, '米')),
    warnEl,
    locateMsg,
    h('form', { class: 'crew-search', onsubmit: (e: Event) => { e.preventDefault(); searchBtn.click(); } }, searchInput, searchBtn),
    searchResults,
    offlineBox,
    wgsEl,
    gkEl,
    h('h3', {}, '附近管段', headingNote),
    nearestList,
    planBox,
  );
  const page = h('div', { class: 'crew', 'data-testid': 'crew', 'data-mode': online ? 'online' : 'offline' }, mapEl, sheet);
  return {
    page, mapEl, accuracyEl, warnEl, limitInput, wgsEl, gkEl, headingNote, nearestList, planBox, offlineStatus, downloadViewBtn, drawBtn, cellBtn,
    offlineBox, offlineSummary, refreshBtn, searchInput, searchBtn, searchResults, locateMsg,
    limit: () => Math.max(1, Number(limitInput.value) || 30),
  };
}
