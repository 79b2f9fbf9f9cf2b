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
}

const routes: Route[] = [
  { path: '/', title: '总览地图', load: async () => (await import('./views/overview')).overview },
  { path: '/manager', title: '改造进度看板', load: async () => (await import('./views/manager')).manager },
  { path: '/planner', title: '网格规划', load: async () => (await import('./planner/planner')).planner },
  { path: '/crew', title: '现场抢修', load: async () => (await import('./crew/crewView')).crew },
  { path: '/staff', title: '网格员', load: async () => (await import('./staff/staffView')).staff },
];

// #/cell/{code}: a cell on the overview map (the target of the notice boards' QR codes; docs/reports.md).
const cellRoute: Route = { path: '/cell', title: '网格', load: async () => (await import('./views/cell')).cell };
const loginRoute: Route = { path: LOGIN_PATH, title: '登录', load: async () => (await import('./views/login')).login };

const main = document.getElementById('app') as HTMLElement;
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
    if (mine === generation) showReload(isChunkLoadError(e) ? message('chunk-load') : humanMessage(e));
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
    if (isChunkLoadError(e)) return showReload(message('chunk-load'));
    main.replaceChildren(
      h('div', { class: 'fatal', role: 'alert', 'data-testid': 'page-error' }, h('h2', {}, '页面加载失败'), h('p', {}, humanMessage(e)), h('p', {}, '请确认 GridMap 服务正在运行（scripts/run），然后刷新页面。'), reloadButton()),
    );
  }
}

function reloadButton(): HTMLElement {
  return h('button', { type: 'button', class: 'primary', 'data-testid': 'page-reload', onclick: () => location.reload() }, '刷新页面');
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
