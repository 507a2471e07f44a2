import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w web` serves the app on :5173 and proxies the operator API (and its SSE stream) to a
// dashboard role on :8080, as `atc up` runs it (ATC_API_URL points it at another one). `npm run build` writes dist/ with Vite's manifest,
// which the dashboard role serves at / and the bundle budget check reads.
const apiTarget = process.env.ATC_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { manifest: true, outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
});
