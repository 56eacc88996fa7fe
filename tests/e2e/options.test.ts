import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { type E2E, startE2E } from './harness';

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
    const stored = await e2e.worker.evaluate(async () => (await chrome.storage.local.get('trustAnchors')).trustAnchors);
    expect(stored).toContain('BEGIN CERTIFICATE');

    await page.getByRole('button', { name: 'Remove all' }).click();
    await expect.poll(() => page.locator('.count').textContent()).toBe('No trust anchors imported.');
    await page.close();
  });
});
