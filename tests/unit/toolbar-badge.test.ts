import { describe, expect, it } from 'vitest';
import type { ClassifierSignal, WatermarkSignal } from '../../lib/core/signals';
import { ResultsStore, type SessionArea } from '../../lib/background/results-store';
import { type ActionArea, TOOLBAR_TITLE, ToolbarBadge } from '../../lib/background/toolbar-badge';

class MemoryArea implements SessionArea {
  readonly data = new Map<string, unknown>();
  async get(key: string): Promise<Record<string, unknown>> {
    return this.data.has(key) ? { [key]: structuredClone(this.data.get(key)) } : {};
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

/** `browser.action` as the browser keeps it: per-tab text, colour and title, and every call made. */
class FakeAction implements ActionArea {
  readonly text = new Map<number, string>();
  readonly colour = new Map<number, string>();
  readonly title = new Map<number, string>();
  calls = 0;
  async setBadgeText({ tabId, text }: { tabId: number; text: string }) {
    this.calls++;
    this.text.set(tabId, text);
  }
  async setBadgeBackgroundColor({ tabId, color }: { tabId: number; color: string }) {
    this.calls++;
    this.colour.set(tabId, color);
  }
  async setTitle({ tabId, title }: { tabId: number; title: string }) {
    this.calls++;
    this.title.set(tabId, title);
  }
}

const mark: WatermarkSignal = {
  kind: 'watermark',
  generator: 'Sora',
  text: 'Sora',
  frames: 3,
  box: { x: 0, y: 0, width: 1, height: 1 },
};
const likely: ClassifierSignal = {
  kind: 'classifier',
  model: 'clf',
  score: 0.95,
  framesScored: 4,
  thresholds: { likelyAi: 0.8, uncertain: 0.4, noSigns: 0.4 },
};
const announce = (id: string) => ({
  id,
  src: `https://cdn.example/${id}.mp4`,
  pageUrl: 'https://example.com/',
  width: 640,
  height: 360,
});

describe('toolbar badge', () => {
  it('counts the tab’s AI and likely-AI videos as the results store writes them, per tab, and clears them', async () => {
    const action = new FakeAction();
    const store = new ResultsStore(new ToolbarBadge(action).observe(new MemoryArea()));
    await store.videoSeen(1, 0, announce('a'));
    await store.videoSeen(1, 0, announce('b'));
    await store.videoSeen(1, 0, announce('c'));
    await store.videoSeen(2, 0, announce('d'));
    await store.flush();
    expect(action.text.get(1)).toBe('');
    expect(action.title.get(1)).toBe(TOOLBAR_TITLE);

    expect((await store.addSignal(1, 'a', mark))?.verdict).toBe('ai');
    expect((await store.addSignal(1, 'b', likely))?.verdict).toBe('likely-ai');
    await store.flush();
    expect(action.text.get(1)).toBe('2');
    expect(action.title.get(1)).toBe(`${TOOLBAR_TITLE}: 1 AI-generated, 1 likely AI on this page`);
    expect(action.colour.get(1)).toBe('#b71c1c');
    // The other tab has nothing flagged.
    expect(action.text.get(2)).toBe('');

    // Writes that change nothing shown reach the browser no more.
    const calls = action.calls;
    await store.videoSeen(1, 0, { ...announce('c'), width: 700 });
    await store.flush();
    expect(action.calls).toBe(calls);

    // The flagged video leaves; the count follows.
    await store.videoGone(1, 'a');
    await store.flush();
    expect(action.text.get(1)).toBe('1');
    expect(action.colour.get(1)).toBe('#e65100');
    // A new document in the tab drops the earlier one's videos, and the count with them.
    await store.pageStarted(1, 'https://example.com/next', 2 * Date.now());
    await store.flush();
    expect(action.text.get(1)).toBe('');
    expect(action.title.get(1)).toBe(TOOLBAR_TITLE);
    await store.addSignal(2, 'd', mark);
    await store.flush();
    expect(action.text.get(2)).toBe('1');
    await store.removeTab(2);
    expect(action.text.get(2)).toBe('');
  });

  it('clears every tab’s count on "Clear all data", tabs a restarted background never showed included', async () => {
    const action = new FakeAction();
    const badge = new ToolbarBadge(action);
    const store = new ResultsStore(badge.observe(new MemoryArea()));
    await store.videoSeen(1, 0, announce('a'));
    await store.addSignal(1, 'a', mark);
    await store.flush();
    expect(action.text.get(1)).toBe('1');
    // Tab 5's count was set by an earlier background; the browser still shows it.
    action.text.set(5, '3');
    // The session area is cleared behind the store's back: no write clears the counts.
    badge.resetAll([1, 5]);
    expect(action.text.get(1)).toBe('');
    expect(action.text.get(5)).toBe('');
    expect(action.title.get(5)).toBe(TOOLBAR_TITLE);
    // A later result on tab 1 shows again.
    await store.videoSeen(1, 0, announce('b'));
    await store.addSignal(1, 'b', mark);
    await store.flush();
    expect(action.text.get(1)).toBe('2');
  });
});
