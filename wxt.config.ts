import { defineConfig } from 'wxt';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports keep every module plain TypeScript that runs in Node tests.
  imports: false,
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'Provenance Lens',
    description:
      'Shows, on every video you scroll past, whether it looks AI-generated and why. Analysis runs on your device; nothing is sent anywhere.',
    permissions: browser === 'firefox' ? ['storage'] : ['storage', 'offscreen'],
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';",
    },
    action: { default_title: 'Provenance Lens' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: { id: 'provenance-lens@example.org', strict_min_version: '128.0' },
          },
        }
      : {}),
  }),
  // onnxruntime-web's wasm binary is emitted by the bundler as an asset of the
  // offscreen page and loaded from the extension itself, never downloaded.
});
