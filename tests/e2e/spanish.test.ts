import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import es from '../../public/_locales/es/messages.json';
import trustLists from '../../public/trust/lists.json';
import { BadgeProbe } from './badge-probe';
import { allJudged, type E2E, openPage, startE2E, waitFor } from './harness';

const ARTIFACTS = 'artifacts';
type Catalogue = Record<string, { message: string }>;

const SPANISH = Object.values(es as Catalogue).map((m) => m.message);

/**
 * English words that must not show in Spanish: the literal pieces (between placeholders) of every English message,
 * six characters or more, that no Spanish message shares (a name such as "Provenance Lens:" is in both).
 */
const ENGLISH_PIECES = [
  ...new Set(
    Object.values(en as Catalogue)
      .flatMap(({ message }) => message.split(/\$[1-9]/))
      .map((piece) => piece.trim())
      .filter((piece) => piece.length >= 6 && /[a-z]{3}/i.test(piece))
      .filter((piece) => !SPANISH.some((message) => message.includes(piece))),
  ),
];

/** Everything a user can read or hear on a page: its text, title, and the labels, alts, titles and placeholders. */
function readable(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = ['aria-label', 'title', 'alt', 'placeholder'];
    const labels = [...document.querySelectorAll('*')].flatMap((el) =>
      attributes.map((a) => el.getAttribute(a)).filter((v): v is string => !!v),
    );
    const svgText = [...document.querySelectorAll('svg title, svg desc, svg text')].map((el) => el.textContent ?? '');
    // Closed <details> keep their text out of innerText: read it too.
    const details = [...document.querySelectorAll('details')].map((el) => el.textContent ?? '');
    return [document.title, document.body.innerText, ...labels, ...svgText, ...details].join('\n');
  });
}

/** The bundled trust lists' own names: the publisher's names for them, shown as they are, like a signer's name. */
const LIST_NAMES = Object.values(trustLists.lists).map((list) => list.name);

function englishIn(text: string): string[] {
  const ours = LIST_NAMES.reduce((rest, name) => rest.replaceAll(name, ''), text);
  return ENGLISH_PIECES.filter((piece) => ours.includes(piece));
}

let e2e: E2E;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  e2e = await startE2E({ locale: 'es' });
});
afterAll(async () => {
  await e2e?.close();
});

describe('a browser in Spanish', () => {
  it('runs the extension in Spanish', async () => {
    const word = await e2e.worker.evaluate(() => chrome.i18n.getMessage('verdictUncertain'));
    expect(word).toBe('Dudoso');
    // The check below would pass on an empty list: it holds the words the pages show in English.
    expect(ENGLISH_PIECES).toEqual(expect.arrayContaining(['Uncertain', 'Video details', 'Sensitivity']));
  });

  it('shows the badge, popup, detail page and options in Spanish, with no English words left', async () => {
    const { page, tabId } = await openPage(e2e, '/pages/player.html');
    const results = await waitFor(e2e, tabId, allJudged(1));
    const video = results.videos[0]!;

    // The badge: its accessible name, and its panel's reasons and frame line.
    const badges = await BadgeProbe.of(page);
    await expect.poll(async () => (await badges.one()).label).toBe('Provenance Lens: Dudoso. Mostrar por qué.');
    await badges.click('button.pill');
    await expect.poll(async () => (await badges.one()).expanded).toBe(true);
    const badge = await badges.one();
    expect(badge.label).toBe('Provenance Lens: Dudoso. Ocultar por qué.');
    expect(badge.panel!.text).toMatch(/Ningún detector de IA ha evaluado aún este vídeo/);
    expect(badge.panel!.text).toMatch(
      /fotogramas? analizados?, leyendo la propia página\. Nada salió de tu dispositivo\./,
    );
    expect(badge.buttons).toEqual(['Detalles', 'Denunciar', 'Ocultar']);
    expect(englishIn(`${badge.label}\n${badge.panel!.text}\n${badge.buttons.join('\n')}`)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/es-badge.png`, clip: { x: 0, y: 0, width: 640, height: 360 } });

    // The popup, with the video's details open.
    const popup = await e2e.context.newPage();
    await popup.goto(`chrome-extension://${e2e.extensionId}/popup.html?tab=${tabId}`);
    await expect.poll(() => popup.locator('.count').textContent()).toBe('1 vídeo en esta página');
    await popup.locator('li.video summary').click();
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('es');
    const popupText = await readable(popup);
    expect(popupText).toContain('Analizado en este dispositivo. No se envía nada a ningún sitio.');
    expect(popupText).toContain('Dudoso');
    expect(popupText).toContain('Ver todos los detalles');
    expect(popupText).toMatch(/Fotogramas leídos: \d+/);
    expect(englishIn(popupText)).toEqual([]);
    await popup.screenshot({ path: `${ARTIFACTS}/es-popup.png`, fullPage: true });
    await popup.close();

    // The detail page.
    const detail = await e2e.context.newPage();
    await detail.goto(
      `chrome-extension://${e2e.extensionId}/detail.html?tab=${tabId}&video=${encodeURIComponent(video.id)}`,
    );
    await expect.poll(() => detail.locator('#verdict-heading').textContent()).toMatch(/Dudoso/);
    expect(await detail.evaluate(() => document.documentElement.lang)).toBe('es');
    const detailText = await readable(detail);
    expect(detailText).toContain('Detalles del vídeo');
    expect(detailText).toContain('Qué vio cada comprobación');
    expect(detailText).toContain('Qué no se pudo comprobar');
    expect(detailText).toContain('Nada aquí apunta en un sentido ni en otro.');
    expect(englishIn(detailText)).toEqual([]);
    await detail.screenshot({ path: `${ARTIFACTS}/es-detail.png`, fullPage: true });

    // Its report form.
    await detail.getByRole('button', { name: 'Denunciar este vídeo' }).click();
    await expect.poll(() => detail.locator('#report-heading').textContent()).toBe('Denunciar un posible deepfake');
    expect(englishIn(await readable(detail))).toEqual([]);
    await detail.close();

    // The options page.
    const options = await e2e.context.newPage();
    await options.goto(`chrome-extension://${e2e.extensionId}/options.html`);
    await expect.poll(() => options.locator('h1').textContent()).toBe('Ajustes de Provenance Lens');
    await expect.poll(() => options.locator('.trust-list').count()).toBeGreaterThan(0);
    expect(await options.evaluate(() => document.documentElement.lang)).toBe('es');
    const optionsText = await readable(options);
    expect(optionsText).toContain('Sensibilidad');
    expect(optionsText).toContain('Equilibrada (recomendada)');
    expect(optionsText).toContain('Tus propios certificados raíz de confianza');
    expect(englishIn(optionsText)).toEqual([]);
    await options.screenshot({ path: `${ARTIFACTS}/es-options.png`, fullPage: true });
    await options.close();
    await page.close();
  }, 120_000);
});
