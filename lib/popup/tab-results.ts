import { browser } from 'wxt/browser';
import { type TabResults, tabResultsKey } from '../core/report';

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
  const key = tabResultsKey(tabId);
  void browser.storage.session.get(key).then((items) => onChange((items[key] as TabResults | undefined) ?? null));
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'session' && key in changes) onChange((changes[key]!.newValue as TabResults | undefined) ?? null);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
