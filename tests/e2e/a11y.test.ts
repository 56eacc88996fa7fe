import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadgeProbe } from './badge-probe';
import { allJudged, type E2E, openPage, startE2E, waitFor } from './harness';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } };

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so an
 * extension page's CSP does not block it) on the given selector, WCAG 2.1 A/AA
 * and best practices, and returns the serious and critical violations. Given a
 * BadgeProbe, it runs in the probe's world instead, where axe sees into the
 * badges' closed shadow roots.
 */
async function seriousViolations(page: Page, include: string, probe?: BadgeProbe): Promise<Violation[]> {
  let violations: Violation[];
  if (probe) {
    await probe.run(AXE);
    const result = await probe.evaluate<{ violations: Violation[]; buttonsNamed: number }>(
      `axe.run({ include: [[${JSON.stringify(include)}]] }, ${JSON.stringify(AXE_OPTIONS)}).then((r) => ({
        violations: r.violations,
        buttonsNamed: r.passes.find((p) => p.id === 'button-name')?.nodes.length ?? 0,
      }))`,
    );
    // axe looked inside the closed root: the badge's buttons (pill, Details, Report, Hide) passed its naming rule.
    expect(result.buttonsNamed).toBeGreaterThanOrEqual(4);
    violations = result.violations;
  } else {
    await page.evaluate(AXE);
    violations = (await page.evaluate(async (selector) => {
      const axe = (
        window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } }
      ).axe;
      const result = await axe.run(
        { include: [[selector]] },
        {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        },
      );
      return result.violations;
    }, include)) as Violation[];
  }
  for (const v of violations) console.log(`[axe] ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Description of the focused element, looking into shadow roots: open ones in the page, and the badges' closed
 * ones too through a BadgeProbe.
 */
function focused(page: Page, probe?: BadgeProbe): Promise<string> {
  const describe = () => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return '';
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
    return `${el.localName}${el.getAttribute('type') ? `[${el.getAttribute('type')}]` : ''}:${name}`;
  };
  return probe ? probe.evaluate<string>(`(${describe.toString()})()`) : page.evaluate(describe);
}

/** Presses Tab until the focused element matches, at most `limit` times. */
async function tabTo(page: Page, pattern: RegExp, limit = 30, probe?: BadgeProbe): Promise<string> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page, probe);
    if (pattern.test(now)) return now;
  }
  throw new Error(`Tab never reached ${pattern}; last: ${await focused(page, probe)}`);
}

describe('accessibility', () => {
  it(
    'badge (in its shadow root), popup, detail, report form and history have no serious or critical axe violations',
    { timeout: 120_000 },
    async () => {
      const { page, tabId } = await openPage(e2e, '/pages/watermark.html');
      await waitFor(e2e, tabId, (r) => r.videos[0]?.signals.some((s) => s.kind === 'classifier') ?? false, 60_000);
      const badges = await BadgeProbe.of(page);
      await badges.click('button.pill');
      await expect.poll(async () => (await badges.one()).panel).not.toBeNull();
      expect(await seriousViolations(page, 'provenance-lens-badge', badges)).toEqual([]);
      mkdirSync('artifacts', { recursive: true });
      await page.screenshot({ path: 'artifacts/badge-menu.png', clip: { x: 0, y: 0, width: 480, height: 240 } });

      const popup = await e2e.context.newPage();
      await popup.goto(`chrome-extension://${e2e.extensionId}/popup.html?tab=${tabId}`);
      await popup.locator('li.video').first().waitFor();
      expect(await seriousViolations(popup, 'body')).toEqual([]);

      const videoId = (await waitFor(e2e, tabId, allJudged(1))).videos[0]!.id;
      const detail = await e2e.context.newPage();
      await detail.goto(
        `chrome-extension://${e2e.extensionId}/detail.html?tab=${tabId}&video=${encodeURIComponent(videoId)}&view=report`,
      );
      await detail.locator('.card.watermark canvas').waitFor();
      expect(await seriousViolations(detail, 'body')).toEqual([]);
      await detail.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(detail, 'body')).toEqual([]);
      await detail.emulateMedia({ colorScheme: 'light' });
      // The report form after it built a report (actions, endpoint field, status).
      await detail.getByLabel('Misleading news').check();
      await detail.getByRole('button', { name: 'Create report' }).click();
      await detail.getByRole('button', { name: 'Keep in history' }).click();
      await expect.poll(() => detail.getByRole('status').textContent()).toBe('Kept in your report history.');
      expect(await seriousViolations(detail, 'body')).toEqual([]);

      const history = await e2e.context.newPage();
      await history.goto(`chrome-extension://${e2e.extensionId}/detail.html?view=history`);
      await history.locator('li.history-item').first().getByRole('button', { name: 'Open' }).click();
      expect(await seriousViolations(history, 'body')).toEqual([]);
      for (const p of [history, detail, popup, page]) await p.close();
    },
  );

  it('works with the keyboard alone: badge menu → details → report form → report kept, and no key or click reaches the page', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/player.html');
    await waitFor(e2e, tabId, allJudged(1));
    const badges = await BadgeProbe.of(page);
    await expect.poll(() => badges.count()).toBe(1);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const keysSeen = await page.evaluate(() => {
      const w = window as unknown as { keys: string[] };
      w.keys = [];
      document.addEventListener('keydown', (e) => w.keys.push(e.key));
      return w.keys.length;
    });
    const clicksBefore = await page.evaluate(() => (window as unknown as { clicks: string[] }).clicks.length);

    expect(await tabTo(page, /^button\[button\]:Provenance Lens: .*Show why\.$/, 30, badges)).toMatch(/Uncertain/);
    const keysWhileOnPage = await page.evaluate(() => (window as unknown as { keys: string[] }).keys.length);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await badges.one()).expanded).toBe(true);
    expect(await tabTo(page, /^button\[button\]:Details$/, 3, badges)).toBe('button[button]:Details');
    const [detail] = await Promise.all([e2e.context.waitForEvent('page'), page.keyboard.press('Enter')]);
    // Neither the Enter presses nor the clicks they made reached the page's own listeners.
    expect(await page.evaluate(() => (window as unknown as { clicks: string[] }).clicks.length)).toBe(clicksBefore);
    expect(await page.evaluate(() => (window as unknown as { keys: string[] }).keys.length)).toBe(keysWhileOnPage);
    expect(keysSeen).toBe(0);

    await detail.waitForLoadState('domcontentloaded');
    await detail.locator('#verdict-heading').waitFor();
    await detail.bringToFront();
    await tabTo(detail, /^button\[button\]:Report this video$/);
    await detail.keyboard.press('Enter');
    // The form takes focus at its heading, so a screen reader announces it.
    await expect.poll(() => focused(detail)).toBe('h2:Report a suspected deepfake');
    expect(await tabTo(detail, /^input\[radio\]:/, 2)).toBe('input[radio]:');
    await detail.keyboard.press('ArrowDown');
    expect(await detail.getByLabel('Scam or fraud').isChecked()).toBe(true);
    await detail.keyboard.press('Tab');
    expect(await focused(detail)).toBe('textarea:');
    await detail.keyboard.type('Asks for gift cards.');
    await detail.keyboard.press('Tab');
    expect(await focused(detail)).toBe('input[checkbox]:');
    await detail.keyboard.press('Space');
    expect(await detail.getByRole('checkbox').isChecked()).toBe(false);
    expect(await tabTo(detail, /^button\[submit\]:Create report$/, 2)).toBe('button[submit]:Create report');
    await detail.keyboard.press('Enter');
    await expect.poll(() => detail.getByRole('status').textContent()).toMatch(/^Report ready with 0 frames\./);
    await detail.locator('.report-form button').first().focus();
    expect(await focused(detail)).toBe('button[button]:Keep in history');
    await detail.keyboard.press('Enter');
    await expect.poll(() => detail.getByRole('status').textContent()).toBe('Kept in your report history.');
    await detail.close();
    await page.close();
  });
});
