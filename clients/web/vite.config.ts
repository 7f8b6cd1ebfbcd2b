/// <reference types="vitest/config" />
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { graphqlDocuments } from './graphqlDocuments';

// The API server serves the built client at `/` next to these routes; in development Vite
// forwards them so cookies and the websocket stay same-origin.
const backend = process.env.FACESORT_API ?? 'http://127.0.0.1:8000';
const proxy = {
  '/graphql': { target: backend, ws: true, changeOrigin: false },
  '/api': { target: backend },
  '/media': { target: backend },
  '/healthz': { target: backend },
};

export default defineConfig({
  plugins: [graphqlDocuments(), react(), tailwindcss()],
  server: { proxy },
  preview: { proxy },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 900 },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
  },
});
