/**
 * Launches Debian's Chromium with the built extension through
 * playwright-core (which downloads no browser of its own).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `wxt build` puts the Chrome extension (PROVENANCE_LENS_EXTENSION points elsewhere, e.g. a saved build to compare with). */
export const EXTENSION_DIR = process.env.PROVENANCE_LENS_EXTENSION ?? join(root, '.output/chrome-mv3');
/** The browser the project tests with. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts a persistent Chromium profile with the extension loaded.
 * `withExtension: false` starts the same browser without it (benchmark baselines).
 */
/**
 * @param {{
 *   headed?: boolean,
 *   withExtension?: boolean,
 *   viewport?: { width: number, height: number },
 *   hostRules?: string[],
 *   extraArgs?: string[],
 *   extensionDir?: string,
 *   locale?: string,
 * }} [options]
 */
export async function launchBrowser({
  headed = false,
  withExtension = true,
  viewport = { width: 1280, height: 800 },
  hostRules = [],
  extraArgs = [],
  extensionDir = EXTENSION_DIR,
  locale,
} = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package`);
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "npm run build" first`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'provenance-lens-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    '--hide-scrollbars',
  ];
  // Maps real site host names to the local test server, so site adapters meet pages at their own URLs.
  if (hostRules.length > 0) args.push(`--host-resolver-rules=${hostRules.join(',')}`, '--ignore-certificate-errors');
  // The browser's language (which the extension's words follow): Chromium on Linux takes its UI language from
  // LANGUAGE, and pages' Accept-Language from --lang and the profile's accept_languages.
  if (locale) {
    args.push(`--lang=${locale}`, `--accept-lang=${locale}`);
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(
      join(profile, 'Default', 'Preferences'),
      JSON.stringify({ intl: { accept_languages: locale, selected_languages: locale } }),
    );
  }
  args.push(...extraArgs);
  if (withExtension) args.push(`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: !headed,
    args,
    viewport,
    ...(locale ? { locale, env: { ...process.env, LANGUAGE: locale, LANG: `${locale}.UTF-8` } } : {}),
    ignoreDefaultArgs: withExtension ? ['--disable-extensions'] : undefined,
  });
  let worker = null;
  let extensionId = null;
  if (withExtension) {
    worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    worker ??= await context.waitForEvent('serviceworker', { timeout: 15_000 });
    extensionId = new URL(worker.url()).host;
  }
  return {
    context,
    worker,
    extensionId,
    /** The profile folder, which also tells this browser's processes apart from others' (benchmarks). */
    profile,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The id Chromium gave a tab showing `url` (exact match). */
export async function tabIdOf(worker, url) {
  return worker.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    const tab = tabs.find((t) => t.url === u);
    return tab?.id ?? null;
  }, url);
}

/** The results contract for a tab: `storage.session` `tab:<id>`. */
export async function readTabResults(worker, tabId) {
  return worker.evaluate(async (id) => {
    const key = `tab:${id}`;
    return (await chrome.storage.session.get(key))[key] ?? null;
  }, tabId);
}

/**
 * The user's trust record as the extension keeps it (IndexedDB `provenance-lens-trust` of the extension's origin,
 * lib/settings/trust-settings.ts), read or written from its service worker, where content scripts cannot reach it.
 * `write` stores `record` and returns null; without it the stored record (or null) comes back.
 */
async function trustRecord(worker, write, record) {
  return worker.evaluate(
    async ({ write, record }) => {
      const db = await new Promise((ok, fail) => {
        const req = indexedDB.open('provenance-lens-trust', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('settings');
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
      const value = await new Promise((ok, fail) => {
        const tx = db.transaction('settings', write ? 'readwrite' : 'readonly');
        const req = write ? tx.objectStore('settings').put(record, 'trust') : tx.objectStore('settings').get('trust');
        tx.oncomplete = () => ok(write ? null : (req.result ?? null));
        tx.onerror = () => fail(tx.error);
      });
      db.close();
      return value;
    },
    { write, record: record ?? null },
  );
}

/** Trusts `pem` as the user's own anchors, with every bundled list on, as the options page would. */
export async function writeTrustAnchors(worker, pem) {
  await trustRecord(worker, true, { version: 1, lists: { official: true, legacy: true }, userAnchors: pem });
}

/** The stored trust record, or null. */
export async function readTrustRecord(worker) {
  return trustRecord(worker, false);
}

/** Polls a tab's results until `predicate` holds; returns them (or throws with the last seen state). */
export async function waitForResults(worker, tabId, predicate, { timeout = 20_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  while (Date.now() < deadline) {
    last = await readTabResults(worker, tabId);
    if (last && predicate(last)) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  const summary = last?.videos?.map((v) => ({
    src: v.src,
    verdict: v.verdict,
    reasons: v.reasons,
    frames: v.framesAnalysed,
    path: v.framePath,
    signals: v.signals.map((x) => (x.state ? `${x.kind}:${x.state}` : x.kind)),
  }));
  throw new Error(`timed out waiting for results; last seen: ${JSON.stringify(summary ?? last)}`);
}
