import { t } from '../present/i18n';

/** The detail page's path for one video of a tab; `report` opens its report form at once. */
export function videoPageUrl(
  tabId: number,
  videoId: string,
  view: 'detail' | 'report' = 'detail',
): `/detail.html?${string}` {
  const query = new URLSearchParams({ tab: String(tabId), video: videoId });
  if (view === 'report') query.set('view', 'report');
  return `/detail.html?${query.toString()}`;
}

/** The detail page's path for the report history. */
export const HISTORY_PAGE = '/detail.html?view=history' as const;

/** What the detail page's address asks for. */
export type DetailRoute =
  | { view: 'detail' | 'report'; tabId: number; videoId: string }
  | { view: 'history'; reportId: string | null }
  | { view: 'invalid'; problem: string };

/** Reads the detail page's query string. */
export function parseDetailRoute(search: string): DetailRoute {
  const q = new URLSearchParams(search);
  const view = q.get('view');
  if (view === 'history') return { view: 'history', reportId: q.get('report') };
  const tabId = Number(q.get('tab'));
  const videoId = q.get('video');
  if (!Number.isInteger(tabId) || tabId < 0 || !videoId) {
    return { view: 'invalid', problem: t('detailInvalidRoute') };
  }
  return { view: view === 'report' ? 'report' : 'detail', tabId, videoId };
}
