// The app shell for offline use, shared by the views that work without a network (crew, staff): registers the
// service worker (public/sw.js) and hands it every asset this page has loaded, lazy chunks included, so the next
// visit opens offline. API answers are never cached by the worker: each view keeps its own data in IndexedDB.

/** Registers the service worker (app shell cache) and asks it to cache every asset this page has loaded. */
export async function cacheAppShell(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  const worker = reg.active ?? navigator.serviceWorker.controller;
  if (!worker) return false;
  const origin = location.origin;
  const urls = new Set<string>([`${origin}/`, `${origin}/index.html`]);
  for (const e of performance.getEntriesByType('resource')) {
    const u = new URL(e.name);
    if (u.origin === origin && !u.pathname.startsWith('/api/') && !u.pathname.startsWith('/tiles/')) urls.add(u.href);
  }
  for (const s of document.querySelectorAll<HTMLScriptElement>('script[src]')) urls.add(new URL(s.src, origin).href);
  for (const l of document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet], link[rel=modulepreload]')) urls.add(new URL(l.href, origin).href);
  return await new Promise<boolean>((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), 20_000);
    channel.port1.onmessage = (m) => {
      clearTimeout(timer);
      resolve(Boolean((m.data as { ok?: boolean }).ok));
    };
    worker.postMessage({ type: 'cache-urls', urls: [...urls] }, [channel.port2]);
  });
}
