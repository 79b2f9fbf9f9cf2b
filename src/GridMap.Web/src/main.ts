// Entry point: routes by hash (#/, #/manager) to one module per view over the shared map code, and #/login, the sign-in
// page every 401 leads to (client.ts). Hash routing keeps every view reachable from the single index.html the Api serves.
import 'ol/ol.css';
import './style.css';
import type { View } from './views/view';
import { message } from './api/messages';
import { ApiError, humanMessage, isChunkLoadError } from './api/problem';
import { roleName, session, type Me } from './api/session';
import { LOGIN_PATH, currentRoute } from './api/signInRoute';
import { h } from './ui/dom';

interface Route {
  path: string;
  title: string;
  load: () => Promise<View>;
  /** Without a network: what this view can and cannot do (zh-CN), shown in the offline banner. */
  offline?: string;
}

const NEEDS_NETWORK = '需要网络：离线时无法读取地图和数据，联网后刷新即可。离线可用的是“现场抢修”（已下载范围内的定位、附近管段和关阀方案）和“网格员”（已缓存的任务，记录联网后同步）。';
const routes: Route[] = [
  { path: '/', title: '总览地图', load: async () => (await import('./views/overview')).overview, offline: `总览地图${NEEDS_NETWORK}` },
  { path: '/manager', title: '改造进度看板', load: async () => (await import('./views/manager')).manager, offline: `改造进度看板${NEEDS_NETWORK}` },
  { path: '/planner', title: '网格规划', load: async () => (await import('./planner/planner')).planner, offline: `网格规划${NEEDS_NETWORK}` },
  { path: '/crew', title: '现场抢修', load: async () => (await import('./crew/crewView')).crew, offline: '现场抢修（离线）：可在已下载的范围内定位、搜索、查看附近管段、生成关阀方案；阀门现场记录先存在手机上，联网后自动上传。不能：查看未下载的范围，或获得其他人的最新记录。' },
  { path: '/staff', title: '网格员', load: async () => (await import('./staff/staffView')).staff, offline: '网格员（离线）：可查看已缓存的任务并记录走访，记录存在手机上，联网后自动同步。不能：刷新任务列表或查看未缓存的小区。' },
];

// #/cell/{code}: a cell on the overview map (the target of the notice boards' QR codes; docs/reports.md).
const cellRoute: Route = { path: '/cell', title: '网格', load: async () => (await import('./views/cell')).cell };
const loginRoute: Route = { path: LOGIN_PATH, title: '登录', load: async () => (await import('./views/login')).login };

const main = document.getElementById('app') as HTMLElement;
// Offline: one line under the header saying what the current view can and cannot do (zh-CN).
const offlineBanner = h('div', { class: 'offline-banner', role: 'status', 'data-testid': 'offline-banner', hidden: true });
main.before(offlineBanner);
let currentOfflineText = '';
function renderOfflineBanner() {
  offlineBanner.hidden = navigator.onLine;
  offlineBanner.textContent = `离线模式 · ${currentOfflineText}`;
}
window.addEventListener('online', renderOfflineBanner);
window.addEventListener('offline', renderOfflineBanner);
const nav = document.getElementById('nav') as HTMLElement;
const userBox = document.getElementById('user') as HTMLElement;
let dispose: (() => void) | null = null;
let generation = 0;

const currentPath = (): string => currentRoute().split('?')[0];

function renderNav(active: Route) {
  nav.hidden = active === loginRoute;
  nav.replaceChildren(
    ...routes.map((r) =>
      h('a', { href: `#${r.path}`, class: r === active ? 'active' : undefined, 'aria-current': r === active ? 'page' : undefined, 'data-testid': `nav-${r.path === '/' ? 'overview' : r.path.slice(1)}` }, r.title),
    ),
  );
}

async function route() {
  const mine = ++generation;
  const path = currentPath();
  const r = path === LOGIN_PATH ? loginRoute : path.startsWith('/cell/') ? cellRoute : (routes.find((x) => x.path === path) ?? routes[0]);
  renderNav(r);
  currentOfflineText = r.offline ?? '此页面需要网络。';
  renderOfflineBanner();
  // Who is signed in, for the header; a 401 here (or in the view) leads to the sign-in page (client.ts).
  if (r !== loginRoute) session.me().catch(() => undefined);
  document.title = `${r.title} · GridMap 郑州供热串改并`;
  dispose?.();
  dispose = null;
  main.replaceChildren(h('div', { class: 'loading' }, '正在加载…'));
  let view: View;
  try {
    view = await r.load();
  } catch (e) {
    // After a redeploy the old page asks for chunks that no longer exist ("Failed to fetch dynamically imported
    // module"): only a reload (new index.html, new chunk names) helps.
    if (mine === generation) {
      if (!navigator.onLine) showOffline(r);
      else showReload(isChunkLoadError(e) ? message('chunk-load') : humanMessage(e));
    }
    return;
  }
  // Another route started while this view's chunk loaded (e.g. a 401 sent the user to the sign-in page): do not mount
  // over it.
  if (mine !== generation) return;
  try {
    const d = await view.mount(main);
    if (mine !== generation) d();
    else dispose = d;
  } catch (e) {
    if (mine !== generation) return;
    // Not signed in: client.ts has already sent the user to the sign-in page.
    if (e instanceof ApiError && e.isUnauthenticated) return;
    // No network: say what this view needs, not "page failed to load … scripts/run".
    if ((e instanceof ApiError && e.isTransport) || !navigator.onLine) return showOffline(r);
    if (isChunkLoadError(e)) return showReload(message('chunk-load'));
    main.replaceChildren(
      h('div', { class: 'fatal', role: 'alert', 'data-testid': 'page-error' }, h('h2', {}, '页面加载失败'), h('p', {}, humanMessage(e)), h('p', {}, '请确认 GridMap 服务正在运行（scripts/run），然后刷新页面。'), reloadButton()),
    );
  }
}

function reloadButton(): HTMLElement {
  return h('button', { type: 'button', class: 'primary', 'data-testid': 'page-reload', onclick: () => location.reload() }, '刷新页面');
}

function showOffline(r: Route) {
  main.replaceChildren(
    h('div', { class: 'fatal', role: 'alert', 'data-testid': 'page-offline' },
      h('h2', {}, `${r.title}：当前没有网络`),
      h('p', {}, r.offline ?? '此页面需要网络，联网后刷新即可。'),
      h('p', {}, h('a', { href: '#/crew' }, '打开现场抢修'), ' · ', h('a', { href: '#/staff' }, '打开网格员')),
      reloadButton()),
  );
}

function showReload(text: string) {
  main.replaceChildren(h('div', { class: 'fatal', role: 'alert', 'data-testid': 'page-error' }, h('h2', {}, '页面需要刷新'), h('p', {}, text), reloadButton()));
}

// A chunk that fails after the view is up (a lazily imported piece) is reported by Vite as vite:preloadError;
// the import still rejects, so the code that asked for it reports it as well.
window.addEventListener('vite:preloadError', (e) => console.warn('GridMap: chunk failed to load', (e as Event & { payload?: unknown }).payload));

/** The header: who is signed in (name, role, branch) and 退出登录. */
function renderUser(me: Me | null) {
  if (!me) return userBox.replaceChildren();
  const signOut = h('button', { type: 'button', class: 'sign-out', 'data-testid': 'sign-out' }, '退出登录');
  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    // Leave the page even when the server cannot be reached: the view's requests would fail anyway.
    void session.signOut().catch((e) => console.warn('GridMap: sign-out failed', e)).finally(() => (location.hash = `#${LOGIN_PATH}`));
  });
  userBox.replaceChildren(
    h('span', { class: 'user-name', 'data-testid': 'user-name' }, me.name),
    h('span', { class: 'user-role', 'data-testid': 'user-role', 'data-role': me.role }, roleName(me.role)),
    h('span', { class: 'user-branch', 'data-testid': 'user-branch' }, me.branchName ?? '全公司'),
    signOut,
  );
}
session.subscribe(renderUser);

window.addEventListener('hashchange', () => void route());
void route();

// The whole app shell goes into the service worker's cache on the first online visit (public/sw.js reads the build's
// shell-manifest.json), so every view opens offline later, whether or not the crew downloaded anything.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e) => console.warn('GridMap: service worker not registered', e));
}
