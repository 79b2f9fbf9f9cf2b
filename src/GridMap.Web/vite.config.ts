import { defineConfig, type Plugin } from 'vite';

/**
 * Writes shell-manifest.json: every file of the build (html, scripts of every view, styles, assets). The service worker
 * (public/sw.js) caches all of them when it installs, so any view opens offline after one online visit — not only the
 * chunks the first page happened to load.
 */
function shellManifest(): Plugin {
  return {
    name: 'gridmap-shell-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map')).map((f) => `/${f}`).sort();
      this.emitFile({ type: 'asset', fileName: 'shell-manifest.json', source: JSON.stringify({ files }, null, 1) });
    },
  };
}
import { fileURLToPath } from 'node:url';

// The GridMap server (scripts/run) serves the API and tiles; the dev server proxies to it.
const api = process.env.GRIDMAP_URL ?? 'http://127.0.0.1:5080';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  base: '/',
  plugins: [shellManifest()],
  build: {
    // The Api serves these as its static files (UseDefaultFiles + UseStaticFiles).
    outDir: '../GridMap.Api/wwwroot',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // tiles/styles.json lives outside this package.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': api,
      '/tiles': api,
      '/styles.json': api,
    },
  },
});
