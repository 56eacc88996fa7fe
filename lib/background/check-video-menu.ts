import { browser } from 'wxt/browser';
import { type CheckVideoOutcome, pageMessenger } from '../messaging/protocol';
import { t } from '../present/i18n';

/** The id of the "Check this video" context-menu item. */
export const CHECK_VIDEO_MENU_ID = 'provenance-lens-check-video';

/** What a menu click tells the handler (the fields of `contextMenus.OnClickData` it reads). */
export interface MenuClick {
  menuItemId: string | number;
  mediaType?: string;
  srcUrl?: string;
  frameId?: number;
}

/** The tab a menu click happened in (the fields of `tabs.Tab` it reads). */
export interface MenuTab {
  id?: number;
}

/** The part of `contextMenus` (Chrome) / `menus` (Firefox) the item needs. */
export interface MenusApi {
  removeAll(): Promise<void>;
  create(properties: { id: string; title: string; contexts: ['video'] }): unknown;
  onClicked: { addListener(listener: (info: MenuClick, tab?: MenuTab) => void): void };
}

/** Sends "check this video" to one frame of a tab. */
export type SendCheck = (tabId: number, frameId: number, srcUrl: string) => Promise<CheckVideoOutcome>;

/**
 * Handles a click on the menu item: asks the frame the user right-clicked in to check the video with that
 * address. Only the browser calls this (`onClicked` fires for a real choice in its own menu, never for
 * anything a page does); a click on another item, on something that is not a video, or outside a tab does
 * nothing. Resolves to the frame's answer, or null when nothing was asked.
 */
export async function handleCheckVideoClick(
  info: MenuClick,
  tab: MenuTab | undefined,
  send: SendCheck,
): Promise<CheckVideoOutcome | null> {
  if (info.menuItemId !== CHECK_VIDEO_MENU_ID || info.mediaType !== 'video') return null;
  const tabId = tab?.id;
  if (typeof tabId !== 'number' || tabId < 0) return null;
  const frameId = typeof info.frameId === 'number' && info.frameId >= 0 ? info.frameId : 0;
  return send(tabId, frameId, typeof info.srcUrl === 'string' ? info.srcUrl : '');
}

/**
 * Adds the "Check this video" item to the browser's context menu on videos and answers its clicks. Listens at
 * once (a click can be what woke the background) and creates the item anew at every start: Chrome keeps items
 * across service worker restarts and Firefox's event page does not always, so the old one is removed first.
 */
export function startCheckVideoMenu(menus: MenusApi, title: string, send: SendCheck, onError = console.warn): void {
  menus.onClicked.addListener((info, tab) => {
    void handleCheckVideoClick(info, tab, send).catch((error: unknown) => onError('check this video', error));
  });
  void menus
    .removeAll()
    .then(() => menus.create({ id: CHECK_VIDEO_MENU_ID, title, contexts: ['video'] }))
    .catch((error: unknown) => onError('context menu not created', error));
}

/** The menu item in this browser (`contextMenus`, which Firefox also offers for `menus`), titled in the user's language. */
export function startBrowserCheckVideoMenu(): void {
  startCheckVideoMenu(browser.contextMenus, t('menuCheckVideo'), (tabId, frameId, srcUrl) =>
    pageMessenger.sendMessage('checkVideo', { srcUrl }, { tabId, frameId }),
  );
}
