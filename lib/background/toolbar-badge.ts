import type { TabResults } from '../core/report';
import type { SessionArea } from './results-store';
import { plural, t } from '../present/i18n';

/** The part of `browser.action` the toolbar badge uses (Chrome and Firefox MV3 alike). */
export interface ActionArea {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId: number; color: string }): Promise<void>;
  setTitle(details: { tabId: number; title: string }): Promise<void>;
}

/** The toolbar's title where nothing on the tab is flagged (the manifest's default title). */
export const TOOLBAR_TITLE = 'Provenance Lens';
const AI_COLOUR = '#b71c1c';
const LIKELY_AI_COLOUR = '#e65100';

/** What the toolbar shows for one tab. */
export interface ToolbarState {
  text: string;
  colour: string;
  title: string;
}

/** The toolbar's text, colour and title for a tab's results: the count of videos judged AI or likely AI. */
export function toolbarState(results: TabResults | null): ToolbarState {
  const videos = results?.videos ?? [];
  const ai = videos.filter((v) => v.verdict === 'ai').length;
  const likely = videos.filter((v) => v.verdict === 'likely-ai').length;
  const flagged = ai + likely;
  if (flagged === 0) return { text: '', colour: LIKELY_AI_COLOUR, title: TOOLBAR_TITLE };
  const parts = [ai ? plural('toolbarAi', ai) : '', likely ? plural('toolbarLikelyAi', likely) : ''].filter(Boolean);
  return {
    text: String(flagged),
    colour: ai ? AI_COLOUR : LIKELY_AI_COLOUR,
    title: t('toolbarFlagged', [TOOLBAR_TITLE, parts.join(', ')]),
  };
}

const TAB_KEY = /^tab:(\d+)$/;

/**
 * The toolbar icon's badge for each tab, a place no page can paint over or
 * read: the number of videos on the tab judged AI-generated or likely AI, with
 * the counts in the icon's title. Fed by every write of a tab's results, so it
 * follows the same updates as the popup and is cleared when the results are
 * (a navigation drops the earlier document's videos; a closed tab drops all).
 * Only changes reach the browser.
 */
export class ToolbarBadge {
  private readonly shown = new Map<number, string>();

  constructor(private readonly action: ActionArea) {}

  /** A session area that passes every call on and shows each tab's results as they are written. */
  observe(area: SessionArea): SessionArea {
    return {
      get: (key) => area.get(key),
      set: async (items) => {
        await area.set(items);
        for (const [key, value] of Object.entries(items)) {
          const tabId = TAB_KEY.exec(key)?.[1];
          if (tabId !== undefined) this.show(Number(tabId), value as TabResults);
        }
      },
      remove: async (key) => {
        await area.remove(key);
        const tabId = TAB_KEY.exec(key)?.[1];
        if (tabId !== undefined) this.show(Number(tabId), null);
      },
    };
  }

  /**
   * Clears the count on every tab given ("Clear all data" empties the results without the writes that usually
   * clear it). The browser keeps each tab's badge across a restarted background, so the caller passes every open
   * tab, not only those this instance has shown.
   */
  resetAll(tabIds: readonly number[]): void {
    this.shown.clear();
    for (const tabId of tabIds) this.show(tabId, null);
  }

  /** Shows a tab's results (null: the tab has none). */
  show(tabId: number, results: TabResults | null): void {
    const state = toolbarState(results);
    const key = `${state.text}|${state.colour}|${state.title}`;
    if (this.shown.get(tabId) === key) return;
    if (results === null) this.shown.delete(tabId);
    else this.shown.set(tabId, key);
    // A tab that closed meanwhile rejects the call: nothing to show there.
    const quietly = (p: Promise<void>) => p.catch(() => undefined);
    void quietly(this.action.setBadgeText({ tabId, text: state.text }));
    if (state.text) void quietly(this.action.setBadgeBackgroundColor({ tabId, color: state.colour }));
    void quietly(this.action.setTitle({ tabId, title: state.title }));
  }
}
