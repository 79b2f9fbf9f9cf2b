// GridMap service worker: keeps the whole app shell (index.html and every script, style and asset of every view,
// listed by the build in /shell-manifest.json) so any view opens without a network after one online visit, and a
// view opened offline says what it can do instead of failing to load its chunk. The shell is network-first (a deployed
// update wins when online) with the cache as fallback; the API and tiles are never cached here: the crew and staff
// views keep their offline data in IndexedDB.
const CACHE = 'gridmap-shell-v2';

async function cacheShell() {
  const c = await caches.open(CACHE);
  await c.addAll(['/', '/index.html']);
  try {
    const res = await fetch('/shell-manifest.json', { cache: 'no-cache' });
    if (!res.ok) return;
    const { files } = await res.json();
    // One by one: a file that fails (a dev server has no manifest entries) does not spoil the others.
    await Promise.all((files || []).map((f) => fetch(f, { cache: 'no-cache' }).then((r) => (r.ok ? c.put(f, r) : undefined)).catch(() => undefined)));
  } catch {
    // No manifest (vite dev server): the pages cache what they load (cache-urls below).
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page sends the assets it has loaded (lazy chunks included), since they were fetched before this worker ran.
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'cache-shell') {
    const port = event.ports && event.ports[0];
    event.waitUntil(cacheShell().then(() => port && port.postMessage({ ok: true }), () => port && port.postMessage({ ok: false })));
    return;
  }
  if (data.type !== 'cache-urls') return;
  const port = event.ports && event.ports[0];
  event.waitUntil(
    caches.open(CACHE)
      .then((c) => Promise.all((data.urls || []).map((u) => fetch(u, { cache: 'no-cache' }).then((r) => (r.ok ? c.put(u, r) : undefined)).catch(() => undefined))))
      .then(() => port && port.postMessage({ ok: true }), () => port && port.postMessage({ ok: false })),
  );
});

function isShell(url) {
  return url.origin === self.location.origin && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/tiles/') && !url.pathname.startsWith('/openapi/');
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (!isShell(url)) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok && res.type === 'basic') {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req.mode === 'navigate' ? '/' : req, copy));
        }
        return res;
      })
      .catch(() =>
        caches.match(req, { ignoreSearch: req.mode === 'navigate' }).then((hit) => hit || (req.mode === 'navigate' ? caches.match('/') : undefined))
          .then((hit) => hit || new Response('离线：此文件未缓存', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })),
      ),
  );
});
