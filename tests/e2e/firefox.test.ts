import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { startServer } from '../../scripts/lib/server.mjs';
import { makeMedia } from '../../scripts/make-media.mjs';
import { FIREFOX, FirefoxSession } from './firefox';

// The Firefox build in Firefox ESR: no offscreen documents there, so the background page itself hosts the models,
// the C2PA reader and the OCR worker. These check the whole path once: page → content script → background analysis →
// verdict → badge.
const present = existsSync(FIREFOX);
if (!present) console.warn(`skipping the Firefox tests: ${FIREFOX} is absent (Debian package firefox-esr)`);

interface BadgeState {
  label: string | null;
  reasons: string[];
}

/** Every badge's pill label (and, where `open`, its panel's reasons) in page order. */
const badgesOf = (open: boolean) => `(async () => {
  const out = [];
  for (const host of document.querySelectorAll('provenance-lens-badge')) {
    const pill = host.shadowRoot?.querySelector('button.pill');
    if (${open} && pill && pill.getAttribute('aria-expanded') !== 'true') {
      pill.click();
      await new Promise((r) => setTimeout(r, 100));
    }
    out.push({
      label: pill?.getAttribute('aria-label') ?? null,
      reasons: [...(host.shadowRoot?.querySelectorAll('.reasons li, .meta') ?? [])].map((li) => li.textContent),
    });
  }
  return out;
})()`;

let server: Awaited<ReturnType<typeof startServer>>;
let firefox: FirefoxSession;

beforeAll(async () => {
  if (!present) return;
  makeMedia({ quiet: true });
  await makeC2paFixtures();
  server = await startServer();
  firefox = await FirefoxSession.launch();
}, 120_000);

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe.skipIf(!present)('Firefox ESR', () => {
  it('runs the classifier in the background page and badges the video with its score and reason', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${server.base}/pages/classifier.html?src=/media/clip.mp4`);
    // The classifier speaks once four frames with picture were scored; until then the badge says nobody judged yet.
    const [badge] = await firefox.waitFor<BadgeState[]>(
      tab,
      badgesOf(true),
      (b) => b.length === 1 && /classifier .* over \d+ frames/.test(b[0]!.reasons.join(' ')),
      60_000,
    );
    expect(badge!.label).toMatch(/^Provenance Lens: (Uncertain|Likely AI) \(\d+% AI\)/);
    const frames = Number(/over (\d+) frames/.exec(badge!.reasons.join(' '))![1]);
    expect(frames).toBeGreaterThanOrEqual(4);
    expect(badge!.reasons.join(' ')).toMatch(/read from the page\. Nothing left your device/);
  });

  it('reads Content Credentials in the background page: AI declarations become "AI-generated"', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${server.base}/pages/provenance.html`);
    const badges = await firefox.waitFor<BadgeState[]>(
      tab,
      badgesOf(false),
      (b) => b.length === 6 && b.filter((x) => x.label?.startsWith('Provenance Lens: AI-generated')).length === 3,
      60_000,
    );
    // The AI declarations (Sora, a Firefly composite, Veo) and nothing else.
    expect(badges.map((b) => b.label?.startsWith('Provenance Lens: AI-generated'))).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    const opened = await firefox.evaluate<BadgeState[]>(tab, badgesOf(true));
    expect(opened[0]!.reasons[0]).toMatch(/made with OpenAI Sora/);
    expect(opened[3]!.reasons.join(' ')).toMatch(/altered or broken after signing/);
  });

  it('reads a visible generator watermark with the OCR worker it starts from the background page', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${server.base}/pages/watermark.html`);
    const [badge] = await firefox.waitFor<BadgeState[]>(
      tab,
      badgesOf(true),
      (b) => b.length === 1 && !!b[0]!.label?.startsWith('Provenance Lens: AI-generated'),
      90_000,
    );
    expect(badge!.reasons[0]).toMatch(/^A visible Kling watermark on \d+ frames\.$/);
  });
});
