import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import type { ProvenanceSignal } from '../../lib/core/signals';
import type { TabResults } from '../../lib/core/report';
import { type E2E, openPage, startE2E, waitFor } from './harness';
import { readTrustRecord as readStoredTrust } from '../../scripts/lib/browser.mjs';

let e2e: E2E;
let ownRoot = '';

beforeAll(async () => {
  ownRoot = readFileSync((await makeC2paFixtures()).ownRoot, 'utf8');
  e2e = await startE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

describe('options page', () => {
  it('imports trust anchors, rejects junk with a clear error, and removes them', async () => {
    const page = await e2e.context.newPage();
    await page.goto(`chrome-extension://${e2e.extensionId}/options.html`);
    await expect.poll(() => page.locator('.count').textContent()).toBe('No trust anchors imported.');

    await page.getByLabel('Paste PEM certificates').fill('not a certificate');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/No certificate found/);

    await page.getByLabel('Paste PEM certificates').fill(ownRoot);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.locator('.count').textContent()).toBe('1 trust anchor imported.');
    // Kept in the extension's own IndexedDB, where content scripts cannot write; storage.local holds no copy.
    expect((await readTrustRecord(e2e))?.userAnchors).toContain('BEGIN CERTIFICATE');
    expect(await e2e.worker.evaluate(async () => chrome.storage.local.get('trustAnchors'))).toEqual({});

    await page.getByRole('button', { name: 'Remove all' }).click();
    await expect.poll(() => page.locator('.count').textContent()).toBe('No trust anchors imported.');
    await page.close();
  });
});

/** The trust record as the extension keeps it (IndexedDB of the extension's origin), read from its service worker. */
async function readTrustRecord(e2e: E2E): Promise<{ lists: Record<string, boolean>; userAnchors: string } | null> {
  return (await readStoredTrust(e2e.worker)) as { lists: Record<string, boolean>; userAnchors: string } | null;
}

const SORA = 'ai-video/sammyatman__videogen/examples__onions__sora_1_t2v.mp4';
const soraPresent = existsSync(resolve(__dirname, '../../../shared/data', SORA));
if (!soraPresent) console.warn(`skipping the trust list switch case: ../shared/data/${SORA} is absent`);

function provenanceOf(r: TabResults): ProvenanceSignal | undefined {
  return r.videos[0]?.signals.find((s): s is ProvenanceSignal => s.kind === 'provenance');
}

describe('bundled trust lists', () => {
  it('shows each list with its dates, on by default, and the conforming products list with its date', async () => {
    const page = await e2e.context.newPage();
    await page.goto(`chrome-extension://${e2e.extensionId}/options.html`);
    const official = page.locator('[data-list="official"]');
    await expect
      .poll(() => official.textContent())
      .toMatch(/C2PA Trust List: issued \d{4}-\d{2}-\d{2}, next update due/);
    expect(await page.getByLabel('Use the Official C2PA Trust List').isChecked()).toBe(true);
    expect(await page.getByLabel('Use the Interim trust list (legacy)').isChecked()).toBe(true);
    expect(await page.locator('[data-list="legacy"]').textContent()).toMatch(/issued 2025-08-28, no further updates/);
    // The conforming products list decides who may claim a camera capture: its date is shown too, with no switch.
    const products = page.locator('[data-list="products"]');
    expect(await products.textContent()).toMatch(
      /C2PA Conforming Products List.*Dated 2026-08-20 \(its latest change\), 174 products, no next update announced\./,
    );
    expect(await products.locator('input').count()).toBe(0);
    expect(await products.locator('.list-out-of-date').count()).toBe(0);
    await page.close();
  });

  it.skipIf(!soraPresent)(
    'turning the legacy list off changes a real Sora clip from "signer verified (legacy)" to an unknown signer',
    async () => {
      const path = `/pages/trust-list.html?src=/shared/${SORA}`;
      // Read whole, and its frames compared with what the page plays: only then does its declaration count.
      const whole = (r: TabResults) =>
        provenanceOf(r)?.hashVerified === true && ['matched', 'differs'].includes(provenanceOf(r)?.shown ?? '');
      const { page, tabId } = await openPage(e2e, path);
      let r = await waitFor(e2e, tabId, whole, 60_000);
      expect(provenanceOf(r)).toMatchObject({
        state: 'valid',
        trust: 'legacy',
        signer: 'OpenAI',
        declaresAi: true,
        shown: 'matched',
      });
      expect(r.videos[0]!.verdict).toBe('ai');
      expect(r.videos[0]!.reasons[0]).toMatch(/signer verified on the legacy interim trust list/);

      const options = await e2e.context.newPage();
      await options.goto(`chrome-extension://${e2e.extensionId}/options.html`);
      const legacy = options.getByLabel('Use the Interim trust list (legacy)');
      await expect.poll(() => legacy.isChecked()).toBe(true);
      await legacy.uncheck();
      await expect.poll(async () => (await readTrustRecord(e2e))?.lists.legacy).toBe(false);

      await page.reload();
      // Read again under the lists now in use (the comparison with what plays may not come again: a judgement
      // remembered from the first viewing, with its watermark, settles the video at once).
      r = await waitFor(
        e2e,
        tabId,
        (res) => provenanceOf(res)?.hashVerified === true && provenanceOf(res)?.state === 'untrusted',
        60_000,
      );
      // Signed, but not by anyone on the lists in use; its certificate has expired since: never "invalid".
      expect(provenanceOf(r)).toMatchObject({ trust: 'unknown', certificate: 'expired-since-signing' });
      // No list in use vouches for OpenAI's signer now: its AI declaration is an unknown signer's.
      expect(r.videos[0]!.reasons.join(' ')).toMatch(/not on any trust list in use; certificate expired since signing/);

      await legacy.check();
      await expect.poll(async () => (await readTrustRecord(e2e))?.lists.legacy).toBe(true);
      await options.close();
      await page.close();
    },
    180_000,
  );
});
