import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The GridMap server (scripts/run) serves the API and tiles; the dev server proxies to it.
const api = process.env.GRIDMAP_URL ?? 'http://127.0.0.1:5080';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  base: '/',
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
