import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvenanceSignal } from '../../lib/core/signals';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { readTrustRecord, writeTrustAnchors } from '../../scripts/lib/browser.mjs';
import { type E2E, openPage, startE2E, waitFor } from './harness';

/**
 * The signing certificate chain, read in the browser (offscreen document) from a file's manifest, stored with the
 * provenance signal and shown on the detail page; and the verify site's section, which for a video on the user's
 * own machine offers nothing and requests nothing.
 */

let e2e: E2E;
let dir = '';
beforeAll(async () => {
  const made = await makeC2paFixtures();
  dir = made.dir;
  // A site at a public host name (mapped to the test server), whose video the verify site could read.
  e2e = await startE2E({
    sites: {
      'www.youtube.com': {
        '/watch': { file: 'tests/unit/adapters/fixtures/youtube-watch-labelled.html', media: '/media/clip.mp4' },
      },
    },
  });
  // The background writes the default record on its first read; written before that, the anchors would be lost.
  for (let i = 0; i < 100 && (await readTrustRecord(e2e.worker)) === null; i++)
    await new Promise((r) => setTimeout(r, 50));
  await writeTrustAnchors(e2e.worker, readFileSync(made.ownRoot, 'utf8'));
}, 120_000);
afterAll(async () => {
  await writeTrustAnchors(e2e.worker, '').catch(() => undefined);
  await e2e?.close();
});

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const provenanceOf = (signals: Array<{ kind: string }>) =>
  signals.find((s): s is ProvenanceSignal => s.kind === 'provenance');

describe('certificates on the detail page', () => {
  it('shows the signer’s chain with thumbprints, the list that anchors it, and no verify-site request', async () => {
    const verifySiteRequests: string[] = [];
    await e2e.context.route('https://contentcredentials.org/**', (route) => {
      verifySiteRequests.push(route.request().url());
      return route.abort();
    });
    const { page, tabId } = await openPage(e2e, '/pages/classifier.html?src=/media/c2pa/untrusted-veo.mp4');
    const r = await waitFor(
      e2e,
      tabId,
      (res) => res.videos.length === 1 && provenanceOf(res.videos[0]!.signals)?.hashVerified === true,
      40_000,
    );
    const video = r.videos[0]!;
    const signal = provenanceOf(video.signals)!;
    expect(signal).toMatchObject({ state: 'valid', trust: 'user' });
    const expected = [
      ...readFileSync(join(dir, 'own-chain.pem'), 'utf8').matchAll(
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
      ),
    ].map((m) => new X509Certificate(m[0]).fingerprint256);
    expect(signal.signature?.chain.map((c) => c.sha256)).toEqual(
      expected.map((f) => f.replace(/:/g, '').toLowerCase()),
    );

    const detail = await e2e.context.newPage();
    await detail.goto(
      `chrome-extension://${e2e.extensionId}/detail.html?tab=${tabId}&video=${encodeURIComponent(video.id)}`,
    );
    const chain = detail.locator('.signature-chain');
    await chain.waitFor();
    await expect.poll(() => chain.textContent()).toContain('Signing certificate: Unknown Studio Signer');
    const text = (await chain.textContent()) ?? '';
    expect(text).toContain('Issued by: Provenance Lens Test Root');
    expect(text).toContain('Chain anchored byYour own trust anchors');
    for (const f of expected) expect(text).toContain(f);
    expect(text).toContain('No time-stamp');

    // The clip is on localhost: the verify site cannot read it, and the page offers no button to send it there.
    const verify = detail.locator('section.verify-site');
    await expect.poll(() => verify.textContent()).toContain('has no public file address');
    expect(await verify.locator('button').count()).toBe(0);
    expect(verifySiteRequests).toEqual([]);
    // The new sections pass the same accessibility rules as the rest of the page (tests/e2e/a11y.test.ts).
    await detail.evaluate(AXE);
    const violations = await detail.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } }
      ).axe;
      const result = await axe.run(
        { include: [['.signature-chain'], ['section.verify-site']] },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } },
      );
      return result.violations as Array<{ id: string; impact: string | null }>;
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    mkdirSync('artifacts', { recursive: true });
    await chain.screenshot({ path: 'artifacts/detail-certificates.png' });
    await detail.close();
    await page.close();
  });
});

describe('the verify site', () => {
  it('is opened with the file’s public address only when the user presses the button', async () => {
    const requests: string[] = [];
    await e2e.context.route('https://contentcredentials.org/**', (route) => {
      requests.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>verify</title>' });
    });
    const { page, tabId } = await openPage(e2e, 'https://www.youtube.com/watch?v=aBcDeFgHiJ0');
    const r = await waitFor(e2e, tabId, (res) => res.videos.length > 0, 30_000);
    const video = r.videos[0]!;
    expect(video.src).toMatch(/^https:\/\/www\.youtube\.com\//);

    const detail = await e2e.context.newPage();
    await detail.goto(
      `chrome-extension://${e2e.extensionId}/detail.html?tab=${tabId}&video=${encodeURIComponent(video.id)}`,
    );
    const section = detail.locator('section.verify-site');
    await expect.poll(() => section.textContent()).toContain(video.src);
    const button = section.getByRole('button', { name: 'Open the verify site' });
    await button.waitFor();
    // Shown, hovered and focused: still nothing sent.
    await button.hover();
    await button.focus();
    await detail.waitForTimeout(500);
    expect(requests).toEqual([]);

    const opened = e2e.context.waitForEvent('page');
    await button.click();
    const verifyPage = await opened;
    await expect.poll(() => requests.length).toBe(1);
    expect(requests[0]).toBe(`https://contentcredentials.org/verify?source=${encodeURIComponent(video.src)}`);
    // Opened without a referrer: the site learns the file's address and nothing of the extension's page.
    expect(await verifyPage.evaluate(() => document.referrer)).toBe('');
    await verifyPage.close();
    await detail.close();
    await page.close();
  });
});
