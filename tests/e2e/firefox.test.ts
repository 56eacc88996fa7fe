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
  /** Id of the video the badge sits on (badges enter the document in the order they are made, not the page's). */
  video: string | null;
  label: string | null;
  reasons: string[];
}

/**
 * The badges' closed shadow roots, as WebDriver BiDi serialises them (`includeShadowTree: 'all'` reaches closed
 * roots; page script cannot). Their shared ids go back to the page as arguments of `script.callFunction`.
 */
async function badgeRoots(session: FirefoxSession, tab: string): Promise<Array<{ sharedId: string }>> {
  const r = (await session.send('script.evaluate', {
    expression: `[...document.querySelectorAll('provenance-lens-badge')]`,
    target: { context: tab },
    awaitPromise: false,
    serializationOptions: { maxDomDepth: 0, includeShadowTree: 'all' },
  })) as { result: { value?: Array<{ value?: { shadowRoot?: { sharedId: string } | null } }> } };
  return (r.result.value ?? []).flatMap((host) => {
    const root = host.value?.shadowRoot;
    return root ? [{ sharedId: root.sharedId }] : [];
  });
}

/** Calls `fn(...roots)` in the page with the badges' roots and returns its JSON-serialisable value. */
async function withRoots<T>(session: FirefoxSession, tab: string, fn: string): Promise<T> {
  const roots = await badgeRoots(session, tab);
  const r = (await session.send('script.callFunction', {
    functionDeclaration: `async (...roots) => JSON.stringify(await (${fn})(...roots))`,
    arguments: roots,
    target: { context: tab },
    awaitPromise: true,
  })) as { type: string; result?: { value?: string }; exceptionDetails?: { text?: string } };
  if (r.type === 'exception') throw new Error(`badge read failed: ${r.exceptionDetails?.text}`);
  return JSON.parse(r.result?.value ?? 'null') as T;
}

/** Clicks the element `selector` in badge `index` with the mouse, as a user does (trusted events). */
async function clickInBadge(session: FirefoxSession, tab: string, selector: string, index = 0): Promise<void> {
  const at = await withRoots<{ x: number; y: number } | null>(
    session,
    tab,
    `(...roots) => {
      const r = roots[${index}]?.querySelector(${JSON.stringify(selector)})?.getBoundingClientRect();
      return r && r.width > 0 ? { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) } : null;
    }`,
  );
  if (!at) throw new Error(`badge ${index} has no visible ${selector}`);
  await session.send('input.performActions', {
    context: tab,
    actions: [
      {
        type: 'pointer',
        id: 'mouse',
        actions: [
          { type: 'pointerMove', x: at.x, y: at.y },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ],
      },
    ],
  });
  await session.send('input.releaseActions', { context: tab });
}

/** Every badge's pill label (and, where `open`, its panel's reasons, opened with a click) in page order. */
async function badgesOf(session: FirefoxSession, tab: string, open: boolean): Promise<BadgeState[]> {
  const read = () =>
    withRoots<Array<BadgeState & { expanded: boolean }>>(
      session,
      tab,
      `(...roots) => roots.map((root) => {
        const pill = root.querySelector('button.pill');
        const b = root.host.getBoundingClientRect();
        const under = [...document.querySelectorAll('video')].find((v) => {
          const r = v.getBoundingClientRect();
          return b.width > 0 && b.left >= r.left && b.left < r.right && b.top >= r.top && b.top < r.bottom;
        });
        return {
          video: under?.id || null,
          label: pill?.getAttribute('aria-label') ?? null,
          expanded: pill?.getAttribute('aria-expanded') === 'true',
          reasons: [...root.querySelectorAll('.reasons li, .meta')].map((li) => li.getAttribute('data-text')),
        };
      })`,
    );
  let badges = await read();
  if (open) {
    for (const [i, badge] of badges.entries()) {
      if (badge.expanded) continue;
      // Scrolled into view first: the mouse clicks where the user sees it.
      await withRoots(session, tab, `(...roots) => roots[${i}].host.scrollIntoView({ block: 'center' })`);
      await new Promise((r) => setTimeout(r, 300));
      await clickInBadge(session, tab, 'button.pill', i).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
    badges = await read();
  }
  return badges.map(({ video, label, reasons }) => ({ video, label, reasons }));
}

/** Polls the badges until `done` accepts them, or throws with the last reading. */
async function waitForBadges(
  session: FirefoxSession,
  tab: string,
  open: boolean,
  done: (b: BadgeState[]) => boolean,
  timeout: number,
): Promise<BadgeState[]> {
  const end = Date.now() + timeout;
  let last: BadgeState[] = [];
  while (Date.now() < end) {
    last = await badgesOf(session, tab, open);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out; last badges: ${JSON.stringify(last)}`);
}

let server: Awaited<ReturnType<typeof startServer>>;
let firefox: FirefoxSession;

beforeAll(async () => {
  if (!present) return;
  makeMedia({ quiet: true });
  await makeC2paFixtures();
  server = await startServer({
    routes: {
      // A lying server: the page's media request gets an unsigned clip, the extension's fetch a file whose
      // credentials declare AI (the Firefly composite, other pictures).
      '/lying/ai.mp4': (req, _res, serve) =>
        serve(req.headers['sec-fetch-dest'] === 'video' ? '/media/fractal.mp4' : '/media/c2pa/composite.mp4'),
    },
  });
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
    const [badge] = await waitForBadges(
      firefox,
      tab,
      true,
      (b) => b.length === 1 && /classifier .* over \d+ frames/.test(b[0]!.reasons.join(' ')),
      60_000,
    );
    expect(badge!.label).toMatch(/^Provenance Lens: (Uncertain|Likely AI) \(\d+% AI\)/);
    const frames = Number(/over (\d+) frames/.exec(badge!.reasons.join(' '))![1]);
    expect(frames).toBeGreaterThanOrEqual(4);
    expect(badge!.reasons.join(' ')).toMatch(/read from the page\. Nothing left your device/);
  });

  it('opens the detail page from the badge menu (the stored report, its scored frames and their images) and the popup', async () => {
    // The classifier page of the test above, its badge judged.
    const tab = await waitForContext(firefox, (url) => url.includes('/pages/classifier.html'));
    // With the mouse, as a user: the badge acts only on trusted clicks.
    const hasDetails = () => withRoots<boolean>(firefox, tab, `(root) => !!root.querySelector('button.details')`);
    if (!(await hasDetails())) await clickInBadge(firefox, tab, 'button.pill');
    for (let i = 0; i < 20 && !(await hasDetails()); i++) await new Promise((r) => setTimeout(r, 100));
    await clickInBadge(firefox, tab, 'button.details');
    const detail = await waitForContext(firefox, (url) => url.includes('/detail.html?tab='));
    // The page shows what the background stored for this video (later frames may still change both: read together).
    const shown = await firefox.waitFor<{
      heading: string;
      reasons: string[];
      scores: string[];
      images: number;
      stored: { verdict: string; reasons: string[] };
    }>(
      detail,
      `(async () => {
        const q = new URLSearchParams(location.search);
        const all = await browser.storage.session.get('tab:' + q.get('tab'));
        const v = all['tab:' + q.get('tab')].videos.find((x) => x.id === q.get('video'));
        return {
          heading: document.querySelector('#verdict-heading')?.textContent ?? '',
          reasons: [...document.querySelectorAll('.verdict-card .reasons li')].map((li) => li.textContent),
          scores: [...document.querySelectorAll('.card.classifier .strip .score')].map((s) => s.textContent),
          images: [...document.querySelectorAll('.card.classifier .strip img')].filter((i) => i.complete && i.naturalWidth > 0).length,
          stored: { verdict: v.verdict, reasons: v.reasons },
        };
      })()`,
      (d) =>
        d.scores.filter((x) => /^frame \d+%$/.test(x)).length >= 4 &&
        d.images >= 4 &&
        JSON.stringify(d.reasons) === JSON.stringify(d.stored.reasons),
      30_000,
    );
    expect(shown.stored.verdict).toBe('uncertain');
    expect(shown.heading).toMatch(/Uncertain/);
    expect(shown.reasons[0]).toMatch(/on-device classifier/);

    // The popup for that tab (opened from the extension's own page: WebDriver BiDi may not load extension URLs).
    await firefox.evaluate(
      detail,
      `window.open('popup.html?tab=' + new URLSearchParams(location.search).get('tab')) && true`,
    );
    const popup = await waitForContext(firefox, (url) => url.includes('/popup.html?tab='));
    const rows = await firefox.waitFor<Array<{ verdict: string; reason: string }>>(
      popup,
      `[...document.querySelectorAll('li.video')].map((li) => ({
        verdict: li.dataset.verdict,
        reason: li.querySelector('.reason')?.textContent ?? '',
      }))`,
      (r) => r.length === 1 && /classifier/.test(r[0]!.reason),
      20_000,
    );
    expect(rows[0]!.verdict).toBe('uncertain');
  });

  it('reads Content Credentials in the background page: AI declarations from unknown signers are "Likely AI"', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${server.base}/pages/provenance.html`);
    // The AI declarations (Sora, a Firefly composite, Veo) and nothing else; no list in use knows their signers.
    // The tampered copy reads as its claims first (likely AI too) until its whole file is checked: wait for that.
    const isAi = (b: BadgeState) => !!b.label?.startsWith('Provenance Lens: Likely AI');
    // Each counts once screenshots of it match its file.
    const expected = ['ai', 'composite', 'untrusted'];
    const aiOnes = (b: BadgeState[]) =>
      b
        .filter(isAi)
        .map((x) => x.video)
        .sort()
        .join();
    await waitForBadges(
      firefox,
      tab,
      false,
      (b) =>
        b.length === 6 && b.every((x) => !!x.label && !x.label.includes('Analysing')) && aiOnes(b) === expected.join(),
      60_000,
    );
    // The tampered copy's badge is opened first: the open panels of the row above, whose reasons now say whose
    // file the credentials are, reach down over its pill.
    const closed = await badgesOf(firefox, tab, false);
    await withRoots(
      firefox,
      tab,
      `(...roots) => roots[${closed.findIndex((b) => b.video === 'tampered')}].host.scrollIntoView({ block: 'center' })`,
    );
    await new Promise((r) => setTimeout(r, 300));
    await clickInBadge(
      firefox,
      tab,
      'button.pill',
      closed.findIndex((b) => b.video === 'tampered'),
    );
    const opened = await badgesOf(firefox, tab, true);
    const of = (id: string) => opened.find((b) => b.video === id)!;
    expect(of('ai').reasons[0]).toMatch(/made with OpenAI Sora/);
    expect(of('tampered').reasons.join(' ')).toMatch(/altered or broken after signing/);
  });

  it('counts no AI declaration from a file whose frames differ from what the page plays (a lying server)', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${server.base}/pages/classifier.html?src=/lying/ai.mp4`);
    // The background page decoded the verified file at the page's media times and found other pictures.
    const [badge] = await waitForBadges(
      firefox,
      tab,
      true,
      (b) => b.length === 1 && /whose frames differ from what plays/.test(b[0]!.reasons.join(' ')),
      60_000,
    );
    expect(badge!.label).not.toMatch(/Likely AI|AI-generated/);
    expect(badge!.reasons.join(' ')).toMatch(/declare it|contains AI-generated parts/);
  });

  it('reads a visible generator watermark with the OCR worker it starts from the background page', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${server.base}/pages/watermark.html`);
    const [badge] = await waitForBadges(
      firefox,
      tab,
      true,
      (b) => b.length === 1 && !!b[0]!.label?.startsWith('Provenance Lens: AI-generated'),
      90_000,
    );
    expect(badge!.reasons[0]).toMatch(/^A visible Kling watermark on \d+ frames\.$/);
  });

  it('has the "Check this video" menu item, and a frame answers the menu handler’s message', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${server.base}/pages/check-video.html`);
    await waitForBadges(firefox, tab, false, (b) => b.length === 2, 60_000);
    // An extension page to ask from (WebDriver BiDi may not load extension URLs): the detail page, from a badge.
    await clickInBadge(firefox, tab, 'button.pill');
    const hasDetails = () => withRoots<boolean>(firefox, tab, `(root) => !!root.querySelector('button.details')`);
    for (let i = 0; i < 20 && !(await hasDetails()); i++) await new Promise((r) => setTimeout(r, 100));
    await clickInBadge(firefox, tab, 'button.details');
    const detail = await waitForContext(firefox, (url) => url.includes('/detail.html?tab='));
    const answer = await firefox.evaluate<{ menu: boolean; noSuchItem: boolean; answers: unknown[] }>(
      detail,
      `(async () => {
        const exists = (id) => browser.contextMenus.update(id, {}).then(() => true, () => false);
        const tabId = Number(new URLSearchParams(location.search).get('tab'));
        const check = async (srcUrl) =>
          (await browser.tabs.sendMessage(tabId, { id: 1, type: 'checkVideo', data: { srcUrl }, timestamp: Date.now() }, { frameId: 0 }))?.res;
        return {
          menu: await exists('provenance-lens-check-video'),
          noSuchItem: await exists('no-such-item'),
          answers: [await check(${JSON.stringify(`${server.base}/media/clip.mp4`)}), await check(${JSON.stringify(`${server.base}/media/none.mp4`)})],
        };
      })()`,
    );
    // Scanning is automatic here: both videos with that address are followed already.
    expect(answer).toEqual({ menu: true, noSuchItem: false, answers: ['already', 'not-found'] });
  });
});

/** Waits for a tab whose URL passes `match` (one the extension opened) and returns its browsing context. */
async function waitForContext(session: FirefoxSession, match: (url: string) => boolean): Promise<string> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const { contexts } = (await session.send('browsingContext.getTree', {})) as {
      contexts: Array<{ context: string; url: string }>;
    };
    const found = contexts.find((c) => match(c.url));
    if (found) return found.context;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no such tab opened');
}
