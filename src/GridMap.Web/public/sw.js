// GridMap service worker: keeps the app shell (index.html, scripts, styles) so the crew view opens without a
// network. The shell is network-first (a deployed update wins when online) with the cache as fallback; the API
// and tiles are never cached here: the crew view keeps its offline data in IndexedDB.
const CACHE = 'gridmap-shell-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['/', '/index.html'])).then(() => self.skipWaiting()));
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
