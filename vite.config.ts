import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import pkg from './package.json' with { type: 'json' }

// BUILD_ID lets tests and deployments tell two builds of the same version apart.
const buildId = process.env.SOHOA_BUILD_ID ?? new Date().toISOString()

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __BUILD_ID__: JSON.stringify(buildId),
    // Every component uses <script setup>: drop Vue's Options API from the first screen's bundle.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    outDir: process.env.SOHOA_OUT_DIR ?? 'dist',
    target: 'es2022',
    // Terser makes the first screen's scripts ~5% smaller than the default minifier (4.7 KiB brotli
    // measured against the 90 KiB budget) for a slower build: phones download every byte on 2G.
    minify: 'terser',
    terserOptions: { compress: { passes: 2 } },
  },
  plugins: [
    vue(),
    VitePWA({
      registerType: 'prompt',
      // src/app/pwa/register.ts registers the worker itself, so the update waits for the user.
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'SoHoa – Số hoá hồ sơ thủ tục hành chính',
        short_name: 'SoHoa',
        description:
          'Ghi nhận và báo cáo tiến độ số hoá hồ sơ thủ tục hành chính, kể cả khi không có mạng.',
        lang: 'vi',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#b3261e',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: 'icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      // The whole shell, lazy route chunks included, is precached: the app must cold-start offline.
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // On the very first install there is no older version to protect, so the worker takes the
        // page at once: an official who loses signal right after the first visit can still open
        // every screen. Updates still wait for the user (no skipWaiting).
        clientsClaim: true,
      },
      // A worker in `vite dev` caches stale modules; test the PWA against a build instead.
      devOptions: { enabled: false },
    }),
  ],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'tests/domain/**/*.test.ts',
            'tests/app/db/**/*.test.ts',
            // The sync tests run a real server in-process: Node, not a DOM imitation.
            'tests/app/sync/**/*.test.ts',
            'tests/server/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['tests/app/**/*.test.ts'],
          setupFiles: ['tests/app/setup.ts'],
          exclude: ['tests/app/db/**', 'tests/app/sync/**'],
        },
      },
    ],
  },
})
