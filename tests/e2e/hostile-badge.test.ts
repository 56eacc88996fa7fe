import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';
import { BadgeProbe } from './badge-probe';
import { allJudged, type E2E, openPage, results, startE2E, waitFor } from './harness';

// Each test is the page's own script attacking its badge: what it runs goes through `page.evaluate`, the page's
// main world, with what any page knows (the DOM, the extension's public id). The badge is read for comparison
// through BadgeProbe, over the DevTools protocol, which page script cannot use.

let e2e: E2E;
beforeAll(async () => {
  await makeC2paFixtures();
  e2e = await startE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

/** Everything page script can read of the document, badges included, as one text. */
function whatThePageReads(page: Page): Promise<string> {
  return page.evaluate(() => {
    const seen: string[] = [document.documentElement.outerHTML, document.body.innerText];
    for (const el of document.querySelectorAll('*')) {
      seen.push(el.localName, ...el.getAttributeNames().map((n) => `${n}=${el.getAttribute(n)}`));
      const root = el.shadowRoot;
      if (root) seen.push(root.innerHTML, root.textContent ?? '');
      if (el.matches(':popover-open')) seen.push((el as HTMLElement).innerText, el.textContent ?? '');
    }
    // A custom element under the badge's name would hand its root over through ElementInternals.
    for (const internals of (window as unknown as { stolen?: ElementInternals[] }).stolen ?? []) {
      seen.push(internals.shadowRoot?.innerHTML ?? '');
    }
    // Find-in-page from script.
    const find = (window as unknown as { find: (text: string) => boolean }).find;
    for (const word of ['Uncertain', 'Provenance Lens']) if (find(word)) seen.push(`found:${word}`);
    return seen.join('\n');
  });
}

/** The places in what the page read that name the verdict, each with some context. */
function leaks(read: string): string[] {
  return [...read.matchAll(/Uncertain|Provenance Lens:|data-verdict/g)].map((m) =>
    read.slice(Math.max(0, m.index - 60), m.index + 40),
  );
}

async function pageCount(): Promise<number> {
  return e2e.context.pages().length;
}

describe('a hostile page against its badges', () => {
  it('cannot read the verdict, rewrite it, restyle or remove the badge', { timeout: 120_000 }, async () => {
    const { page, tabId } = await openPage(e2e, '/pages/player.html?read');
    await waitFor(e2e, tabId, allJudged(1), 60_000);
    const probe = await BadgeProbe.of(page);
    await expect.poll(async () => (await probe.all())[0]?.label).toBe('Provenance Lens: Uncertain. Show why.');

    // (a) Read: the verdict is on screen, yet nothing page script reaches holds it.
    expect(leaks(await whatThePageReads(page))).toEqual([]);
    expect(await page.evaluate(() => document.querySelector('provenance-lens-badge')?.shadowRoot ?? null)).toBeNull();

    // (b) Rewrite and hide, with every handle the page has.
    const attempts = await page.evaluate(() => {
      const host = document.querySelector<HTMLElement>('provenance-lens-badge')!;
      const out: string[] = [];
      const root = host.shadowRoot;
      const label = root?.querySelector('.label');
      if (label) label.textContent = 'Verified capture';
      root?.querySelector('.badge')?.setAttribute('data-verdict', 'verified-capture');
      host.textContent = 'Verified capture';
      try {
        host.attachShadow({ mode: 'open' }).innerHTML = '<b>Verified capture</b>';
        out.push('attached a root of its own');
      } catch {
        out.push('attachShadow refused');
      }
      const style = document.createElement('style');
      style.textContent = 'provenance-lens-badge { opacity: 0 !important; display: none !important; }';
      document.head.append(style);
      host.style.setProperty('visibility', 'hidden', 'important');
      host.hidden = true;
      host.inert = true;
      host.hidePopover();
      host.remove();
      return out;
    });
    expect(attempts).toEqual(['attachShadow refused']);
    // The next placement pass (at most a second) puts the badge back, as it was.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const host = document.querySelector('provenance-lens-badge');
          if (!host?.isConnected) return 'removed';
          const s = getComputedStyle(host);
          return `${s.display} ${s.visibility} ${s.opacity} ${host.matches(':popover-open')} ${host.getAttributeNames()}`;
        }),
      )
      .toBe('block visible 1 true popover');
    const badge = await probe.one();
    expect(badge.label).toBe('Provenance Lens: Uncertain. Show why.');
    expect(badge.verdict).toBe('uncertain');
    expect(await probe.evaluate<string>(`shown(roots[0].querySelector('.label'))`)).toBe('Uncertain');
    // The page's text in the host is not what is shown: a shadow host without slots renders only its root.
    expect(badge.rect.width).toBeGreaterThan(0);
    await probe.close();
    await page.close();
  });

  it('gains nothing by defining a custom element under the badge’s name first', { timeout: 120_000 }, async () => {
    const { page, tabId } = await openPage(e2e, '/pages/hostile-element.html');
    await waitFor(e2e, tabId, allJudged(1), 60_000);
    const probe = await BadgeProbe.of(page);
    await expect.poll(async () => (await probe.all())[0]?.label).toBe('Provenance Lens: Uncertain. Show why.');
    expect(leaks(await whatThePageReads(page))).toEqual([]);
    // Whatever the page's constructor ran on, it got no badge's root through ElementInternals.
    expect(
      await page.evaluate(() =>
        (window as unknown as { stolen: ElementInternals[] }).stolen.map((internals) => internals.shadowRoot === null),
      ),
    ).not.toContain(false);
    await probe.close();
    await page.close();
  });

  it(
    'cannot open anything by script: click(), synthetic clicks and keys do nothing, a real click does',
    { timeout: 120_000 },
    async () => {
      const { page, tabId } = await openPage(e2e, '/pages/player.html?click');
      await waitFor(e2e, tabId, allJudged(1), 60_000);
      const probe = await BadgeProbe.of(page);
      await expect.poll(() => probe.count()).toBe(1);
      const before = await pageCount();
      const fired = await page.evaluate(async () => {
        const host = document.querySelector<HTMLElement>('provenance-lens-badge')!;
        const nextTask = () => new Promise((r) => setTimeout(r, 100));
        // Each way script can "press" an element: click(), a dispatched click, pointer and mouse events, Enter and
        // Space keys.
        const presses: Array<(el: HTMLElement) => void> = [
          (el) => el.click(),
          (el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })),
          (el) => {
            for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup'])
              el.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true }));
          },
          (el) => {
            for (const key of ['Enter', ' ']) {
              el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
              el.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, composed: true }));
            }
          },
        ];
        let pressed = 0;
        for (const press of presses) {
          // The host, and what the page can reach inside it (everything, where a root is open): the pill to open
          // the menu, then the menu's Details and Report.
          const pill = host.shadowRoot?.querySelector<HTMLElement>('button.pill');
          for (const target of [host, pill]) {
            if (!target) continue;
            press(target);
            pressed++;
            await nextTask();
            for (const action of host.shadowRoot?.querySelectorAll<HTMLElement>('.action.details, .action.report') ??
              []) {
              press(action);
              pressed++;
              await nextTask();
            }
          }
        }
        return pressed;
      });
      expect(fired).toBeGreaterThanOrEqual(1);
      // A Details page, had one been asked for, opens within a few hundred ms; give it far longer.
      await page.waitForTimeout(2_000);
      expect(await pageCount()).toBe(before);
      expect((await probe.one()).expanded).toBe(false);

      // The user's own click (a trusted mouse event) still opens the menu and Details.
      await probe.click('button.pill');
      await expect.poll(async () => (await probe.one()).expanded).toBe(true);
      expect((await probe.one()).buttons).toEqual(['Details', 'Report', 'Hide']);
      const [detail] = await Promise.all([e2e.context.waitForEvent('page'), probe.click('button.details')]);
      await detail.waitForLoadState('domcontentloaded');
      expect(detail.url()).toContain(`detail.html?tab=${tabId}&video=`);
      expect(await pageCount()).toBe(before + 1);
      await detail.close();
      await probe.close();
      await page.close();
    },
  );

  it(
    'survives forged lifecycle events: badges stay and videos added afterwards are judged',
    { timeout: 180_000 },
    async () => {
      const { page, tabId } = await openPage(e2e, '/pages/player.html?lifecycle');
      await waitFor(e2e, tabId, allJudged(1), 60_000);
      const probe = await BadgeProbe.of(page);
      await expect.poll(() => probe.count()).toBe(1);
      await page.evaluate((id) => {
        // WXT's own "a newer copy of this content script started" event, keyed by the (public) extension id, and
        // its location-change event.
        for (const script of ['content', 'mse-observer']) {
          document.dispatchEvent(
            new CustomEvent(`${id}:${script}:wxt:content-script-started`, {
              detail: { contentScriptName: script, messageId: 'forged' },
            }),
          );
          window.postMessage(
            { type: `${id}:${script}:wxt:content-script-started`, contentScriptName: script, messageId: 'forged' },
            '*',
          );
          window.dispatchEvent(new Event(`${id}:${script}:wxt:locationchange`));
        }
      }, e2e.extensionId);
      await page.evaluate(() => {
        const video = document.createElement('video');
        Object.assign(video, { src: '/media/clip.mp4', autoplay: true, muted: true, loop: true, playsInline: true });
        video.id = 'late';
        video.style.cssText = 'display: block; width: 640px; height: 360px';
        document.querySelector('.sticky')!.after(video);
      });
      await waitFor(e2e, tabId, allJudged(2), 90_000);
      await expect.poll(() => probe.count(), { timeout: 30_000 }).toBe(2);
      for (const badge of await probe.all()) expect(badge.label).toMatch(/^Provenance Lens: Uncertain/);
      await probe.close();
      await page.close();
    },
  );

  it('has a count on the toolbar icon for the tab, which the page cannot reach', { timeout: 180_000 }, async () => {
    const { page, tabId } = await openPage(e2e, '/pages/provenance.html');
    const flagged = (r: Awaited<ReturnType<typeof results>>) =>
      r?.videos.filter((v) => v.verdict === 'ai' || v.verdict === 'likely-ai').length ?? 0;
    // The Sora, Firefly composite and Veo declarations count once screenshots match their files.
    await waitFor(e2e, tabId, (r) => flagged(r) >= 3, 120_000);
    const toolbar = () =>
      e2e.worker.evaluate(
        async (id) => ({
          text: await chrome.action.getBadgeText({ tabId: id }),
          title: await chrome.action.getTitle({ tabId: id }),
        }),
        tabId,
      );
    await expect
      .poll(async () => {
        const [r, shown] = [await results(e2e, tabId), await toolbar()];
        return shown.text === String(flagged(r)) ? shown.text : `toolbar ${shown.text}, results ${flagged(r)}`;
      })
      .toMatch(/^[3-9]$/);
    // The page's AI declarations are all from signers no list in use vouches for: likely AI.
    expect((await toolbar()).title).toMatch(/^Provenance Lens: \d+ likely AI on this page$/);
    // Another tab keeps its own (none flagged); a new document in this tab clears the count.
    const other = await openPage(e2e, '/pages/player.html?toolbar');
    await waitFor(e2e, other.tabId, allJudged(1), 60_000);
    expect(await e2e.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), other.tabId)).toBe('');
    await page.goto(`${e2e.base}/pages/empty.html`);
    await expect.poll(async () => (await toolbar()).text).toBe('');
    await other.page.close();
    await page.close();
  });
});
