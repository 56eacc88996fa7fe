// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VerdictSummary } from '../../lib/messaging/protocol';

// The content script renders the badge through Preact's compatibility layer (wxt.config.ts aliases React there):
// so does this test, so it checks the component as it ships on pages.
vi.mock('react', async () => await import('preact/compat'));
vi.mock('react/jsx-runtime', async () => await import('preact/jsx-runtime'));
vi.mock('react/jsx-dev-runtime', async () => await import('preact/jsx-dev-runtime'));

const { createElement } = await import('preact/compat');
const { createRoot } = await import('preact/compat/client');
const { act } = await import('preact/test-utils');
const { Badge } = await import('../../components/Badge');

const pending: VerdictSummary = { level: 'pending', score: null, reasons: [], framesAnalysed: 0, framePath: null };
const likely: VerdictSummary = {
  level: 'likely-ai',
  score: 0.81,
  reasons: ['The classifier rates frames as AI-like.', 'Second', 'Third', 'Fourth is not shown'],
  framesAnalysed: 3,
  framePath: 'canvas',
};

interface Actions {
  onHide?: () => void;
  onOpen?: (view: 'detail' | 'report') => void;
  /** jsdom makes no trusted event: these tests stand in for the user unless a test checks the default. */
  isUserGesture?: (event: Event) => boolean;
}

const asUser = () => true;

function mount(summary: VerdictSummary, actions: Actions = {}) {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  const onHide = actions.onHide ?? vi.fn();
  const render = (s: VerdictSummary) =>
    act(() =>
      root.render(
        createElement(Badge, {
          summary: s,
          onHide,
          onOpen: actions.onOpen,
          isUserGesture: 'isUserGesture' in actions ? actions.isUserGesture : asUser,
        }),
      ),
    );
  render(summary);
  const badge = () => container.querySelector<HTMLDivElement>('.badge')!;
  const pill = () => container.querySelector<HTMLButtonElement>('button.pill')!;
  const click = (el: HTMLElement) => act(() => el.click());
  return { container, badge, pill, click, onHide, render };
}

/** What an element shows: the badge draws its verdict text from `data-text` (see Badge), not text nodes. */
const shown = (el: Element | null | undefined) => el?.getAttribute('data-text');

const key = (el: Element, k: string) =>
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });

afterEach(() => document.body.replaceChildren());

describe('Badge (as the content script renders it)', () => {
  it('shows the verdict on a closed pill', () => {
    const { badge, pill } = mount(likely);
    expect(badge().className).toBe('badge v-likely-ai');
    expect(badge().dataset.verdict).toBe('likely-ai');
    expect(pill().getAttribute('aria-label')).toBe('Provenance Lens: Likely AI (81% AI). Show why.');
    expect(pill().getAttribute('aria-expanded')).toBe('false');
    expect(pill().querySelector('.glyph')?.getAttribute('aria-hidden')).toBe('true');
    // No text node carries the verdict (window.find searches closed shadow roots).
    expect(pill().textContent).toBe('');
    expect(shown(pill().querySelector('.label'))).toBe('Likely AI');
    expect(badge().querySelector('.panel')).toBeNull();
  });

  it('opens the top three reasons on click and closes them on Escape, focus back on the pill', () => {
    const { badge, pill, click } = mount(likely, { onOpen: vi.fn() });
    click(pill());
    expect(pill().getAttribute('aria-expanded')).toBe('true');
    expect(pill().getAttribute('aria-label')).toMatch(/Hide why\.$/);
    const panel = badge().querySelector('.panel')!;
    expect(panel.id).toBe(pill().getAttribute('aria-controls'));
    expect(panel.getAttribute('role')).toBe('region');
    expect([...panel.querySelectorAll('.reasons li')].map(shown)).toEqual(likely.reasons.slice(0, 3));
    expect(shown(panel.querySelector('.meta'))).toBe(
      '3 frames analysed, read from the page. Nothing left your device.',
    );
    expect([...panel.querySelectorAll('.actions button')].map((b) => b.textContent)).toEqual([
      'Details',
      'Report',
      'Hide',
    ]);
    const details = panel.querySelector<HTMLButtonElement>('.action.details')!;
    details.focus();
    key(details, 'Escape');
    expect(pill().getAttribute('aria-expanded')).toBe('false');
    expect(badge().querySelector('.panel')).toBeNull();
    expect(document.activeElement).toBe(pill());
    // Escape on a closed badge does nothing.
    key(pill(), 'Escape');
    expect(pill().getAttribute('aria-expanded')).toBe('false');
  });

  it('passes Details, Report and Hide on', () => {
    const onOpen = vi.fn();
    const { badge, pill, click, onHide } = mount(likely, { onOpen });
    click(pill());
    click(badge().querySelector<HTMLButtonElement>('.action.details')!);
    click(badge().querySelector<HTMLButtonElement>('.action.report')!);
    click(badge().querySelector<HTMLButtonElement>('.action.hide')!);
    expect(onOpen.mock.calls).toEqual([['detail'], ['report']]);
    expect(onHide).toHaveBeenCalledOnce();
  });

  it("ignores clicks and keys that script made (by default only the browser's trusted events act)", () => {
    const onOpen = vi.fn();
    const onHide = vi.fn();
    const { badge, pill, click } = mount(likely, { onOpen, onHide, isUserGesture: undefined });
    click(pill());
    act(() => {
      pill().dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    expect(pill().getAttribute('aria-expanded')).toBe('false');
    expect(badge().querySelector('.panel')).toBeNull();
    expect(onOpen).not.toHaveBeenCalled();
    expect(onHide).not.toHaveBeenCalled();
  });

  it('keeps the pill as wide whatever the verdict (its size tells page script nothing)', () => {
    const { pill, render } = mount(pending);
    const sizers = () => [...pill().querySelectorAll('.label-sizer')].map(shown);
    const before = sizers();
    expect(before).toContain('Verified capture');
    expect(before).toContain('Analysing…');
    render(likely);
    expect(sizers()).toEqual(before);
    expect(shown(pill().querySelector('.label'))).toBe('Likely AI');
    expect([...pill().querySelectorAll('.label-sizer')].every((s) => s.getAttribute('aria-hidden') === 'true')).toBe(
      true,
    );
  });

  it('offers only Hide where no page can be opened', () => {
    const { badge, pill, click } = mount(likely);
    click(pill());
    const buttons = badge().querySelectorAll('.actions button');
    expect(buttons).toHaveLength(1);
    expect(buttons[0]?.getAttribute('aria-label')).toBe('Hide badge on this video');
  });

  it('updates in place: an open panel stays open and keeps focus', () => {
    const { badge, pill, click, render } = mount(pending, { onOpen: vi.fn() });
    click(pill());
    expect(badge().querySelector('.meta')).toBeNull();
    const before = pill();
    const details = badge().querySelector<HTMLButtonElement>('.action.details')!;
    details.focus();
    render(likely);
    expect(badge().dataset.verdict).toBe('likely-ai');
    expect(pill()).toBe(before);
    expect(badge().querySelector('.action.details')).toBe(details);
    expect(document.activeElement).toBe(details);
    expect(badge().querySelectorAll('.reasons li')).toHaveLength(3);
    expect(shown(badge().querySelector('.meta'))).toMatch(/^3 frames analysed/);
    render({ ...likely, framesAnalysed: 1, framePath: 'tab-capture' });
    expect(shown(badge().querySelector('.meta'))).toBe(
      '1 frame analysed, from a screenshot of the tab. Nothing left your device.',
    );
    expect(badge().querySelector('.reasons')?.nextElementSibling?.className).toBe('meta');
  });

  it('points each pill at its own panel: every badge is its own root in its own shadow root', () => {
    const open = () => {
      const host = document.createElement('div');
      document.body.append(host);
      const shadow = host.attachShadow({ mode: 'open' });
      const container = document.createElement('div');
      shadow.append(container);
      const root = createRoot(container);
      act(() => root.render(createElement(Badge, { summary: likely, onHide: vi.fn(), isUserGesture: asUser })));
      const pill = shadow.querySelector<HTMLButtonElement>('button.pill')!;
      act(() => pill.click());
      return { shadow, pill };
    };
    for (const { shadow, pill } of [open(), open()]) {
      const panel = shadow.getElementById(pill.getAttribute('aria-controls')!);
      expect(panel?.className).toBe('panel');
      expect(shadow.contains(panel)).toBe(true);
    }
  });
});
