import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { firefox } from 'playwright-core';
import { startServer } from './lib/server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ext = join(root, '.output/firefox-mv3');
const files = {};
const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else files[relative(ext, p)] = readFileSync(p); } };
walk(ext);
const profile = mkdtempSync(join(tmpdir(), 'pl-ff-'));
mkdirSync(join(profile, 'extensions'));
writeFileSync(join(profile, 'extensions', 'provenance-lens@example.org.xpi'), zipSync(files, { level: 0 }));
const uuid = '1b0e3b1a-5c2f-4f8e-9a53-0d6f4c1e2a77';
const server = await startServer();
const context = await firefox.launchPersistentContext(profile, {
  channel: 'moz-firefox', executablePath: '/usr/bin/firefox-esr', headless: true, colorScheme: 'no-override', reducedMotion: 'no-override', forcedColors: 'no-override', contrast: 'no-override',
  firefoxUserPrefs: {
    'xpinstall.signatures.required': false, 'extensions.autoDisableScopes': 0, 'extensions.enabledScopes': 15,
    'extensions.webextensions.uuids': JSON.stringify({ 'provenance-lens@example.org': uuid }),
    'media.autoplay.default': 0, 'media.autoplay.blocking_policy': 0,
  },
});
const page = await context.newPage();
page.on('console', (m) => console.log('[page]', m.type(), m.text()));
await page.goto(`${server.base}/pages/classifier.html?src=/media/clip.mp4`);
const t0 = Date.now();
let last = '';
while (Date.now() - t0 < 60_000) {
  const state = await page.evaluate(() => { const b = document.querySelector('provenance-lens-badge'); return b ? (b.shadowRoot ? b.shadowRoot.textContent : 'closed-shadow:' + b.outerHTML.slice(0, 200)) : 'no badge'; }).catch((e) => 'err ' + e.message);
  if (state !== last) { console.log(((Date.now() - t0) / 1000).toFixed(1), state); last = state; }
  await page.waitForTimeout(1000);
}
const popup = await context.newPage();
await popup.goto(`moz-extension://${uuid}/popup.html`).catch((e) => console.log('popup', e.message));
await popup.waitForTimeout(3000);
console.log('popup text:', (await popup.evaluate(() => document.body.innerText).catch((e) => e.message)).slice(0, 800));
await context.close();
await server.close();
