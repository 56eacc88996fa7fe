// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BadgeView } from '../../components/badge-view';
import type { VerdictSummary } from '../../lib/messaging/protocol';

const pending: VerdictSummary = { level: 'pending', score: null, reasons: [], framesAnalysed: 0, framePath: null };
const likely: VerdictSummary = {
  level: 'likely-ai',
  score: 0.81,
  reasons: ['The classifier rates frames as AI-like.', 'Second', 'Third', 'Fourth is not shown'],
  framesAnalysed: 3,
  framePath: 'canvas',
};

function mount(summary: VerdictSummary, actions: Partial<ConstructorParameters<typeof BadgeView>[2]> = {}) {
  const onHide = actions.onHide ?? vi.fn();
  const view = new BadgeView(document, summary, { onHide, onOpen: actions.onOpen });
  document.body.append(view.element);
  const pill = view.element.querySelector<HTMLButtonElement>('button.pill')!;
  return { view, pill, onHide };
}

const key = (el: Element, k: string) => el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));

afterEach(() => document.body.replaceChildren());

describe('BadgeView', () => {
  it('shows the verdict on a closed pill', () => {
    const { view, pill } = mount(likely);
    expect(view.element.className).toBe('badge v-likely-ai');
    expect(view.element.dataset.verdict).toBe('likely-ai');
    expect(pill.getAttribute('aria-label')).toBe('Provenance Lens: Likely AI (81% AI). Show why.');
    expect(pill.getAttribute('aria-expanded')).toBe('false');
    expect(pill.querySelector('.glyph')?.getAttribute('aria-hidden')).toBe('true');
    expect(pill.querySelector('.label')?.textContent).toBe('Likely AI');
    expect(view.element.querySelector('.panel')).toBeNull();
  });

  it('opens the top three reasons on click and closes them on Escape, focus back on the pill', () => {
    const { view, pill } = mount(likely, { onOpen: vi.fn() });
    pill.click();
    expect(view.expanded).toBe(true);
    expect(pill.getAttribute('aria-expanded')).toBe('true');
    expect(pill.getAttribute('aria-label')).toMatch(/Hide why\.$/);
    const panel = view.element.querySelector('.panel')!;
    expect(panel.id).toBe(pill.getAttribute('aria-controls'));
    expect(panel.getAttribute('role')).toBe('region');
    expect([...panel.querySelectorAll('.reasons li')].map((li) => li.textContent)).toEqual(likely.reasons.slice(0, 3));
    expect(panel.querySelector('.meta')?.textContent).toBe(
      '3 frames analysed, read from the page. Nothing left your device.',
    );
    expect([...panel.querySelectorAll('.actions button')].map((b) => b.textContent)).toEqual([
      'Details',
      'Report',
      'Hide',
    ]);
    panel.querySelector<HTMLButtonElement>('.action.details')!.focus();
    key(panel.querySelector('.action.details')!, 'Escape');
    expect(view.expanded).toBe(false);
    expect(view.element.querySelector('.panel')).toBeNull();
    expect(document.activeElement).toBe(pill);
    // Escape on a closed badge does nothing.
    key(pill, 'Escape');
    expect(view.expanded).toBe(false);
  });

  it('passes Details, Report and Hide on', () => {
    const onOpen = vi.fn();
    const { view, pill, onHide } = mount(likely, { onOpen });
    pill.click();
    view.element.querySelector<HTMLButtonElement>('.action.details')!.click();
    view.element.querySelector<HTMLButtonElement>('.action.report')!.click();
    view.element.querySelector<HTMLButtonElement>('.action.hide')!.click();
    expect(onOpen.mock.calls).toEqual([['detail'], ['report']]);
    expect(onHide).toHaveBeenCalledOnce();
  });

  it('offers only Hide where no page can be opened', () => {
    const { view, pill } = mount(likely);
    pill.click();
    const hide = view.element.querySelectorAll('.actions button');
    expect(hide).toHaveLength(1);
    expect(hide[0]?.getAttribute('aria-label')).toBe('Hide badge on this video');
  });

  it('updates in place: an open panel stays open and keeps focus', () => {
    const { view, pill } = mount(pending, { onOpen: vi.fn() });
    pill.click();
    expect(view.element.querySelector('.meta')).toBeNull();
    const details = view.element.querySelector<HTMLButtonElement>('.action.details')!;
    details.focus();
    view.update(likely);
    expect(view.element.dataset.verdict).toBe('likely-ai');
    expect(view.element.querySelector('button.pill')).toBe(pill);
    expect(view.element.querySelector('.action.details')).toBe(details);
    expect(document.activeElement).toBe(details);
    expect(view.element.querySelectorAll('.reasons li')).toHaveLength(3);
    expect(view.element.querySelector('.meta')?.textContent).toMatch(/^3 frames analysed/);
    view.update({ ...likely, framesAnalysed: 1, framePath: 'tab-capture' });
    expect(view.element.querySelector('.meta')?.textContent).toBe(
      '1 frame analysed, from a screenshot of the tab. Nothing left your device.',
    );
    // The meta line sits between the reasons and the actions.
    expect(view.element.querySelector('.reasons')?.nextElementSibling?.className).toBe('meta');
  });

  it('gives each badge its own panel id', () => {
    const a = mount(likely).pill.getAttribute('aria-controls');
    const b = mount(likely).pill.getAttribute('aria-controls');
    expect(a).not.toBe(b);
  });
});
