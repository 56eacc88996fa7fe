import { browser } from 'wxt/browser';
import { type TabResults, tabResultsKey } from '../core/report';
import { watchSessionKey } from '../platform/session-watch';

/**
 * The tab the popup describes: `?tab=<id>` when given (tests and the demo
 * open the popup as a page), otherwise the active tab of the current window.
 */
export async function resolveTabId(search: string): Promise<number | null> {
  const fromQuery = Number(new URLSearchParams(search).get('tab'));
  if (Number.isInteger(fromQuery) && fromQuery > 0) return fromQuery;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** Reads a tab's results and calls back on every later change; returns the unsubscribe function. */
export function watchTabResults(tabId: number, onChange: (results: TabResults | null) => void): () => void {
  return watchSessionKey<TabResults>(tabResultsKey(tabId), (results) => onChange(results ?? null));
}
