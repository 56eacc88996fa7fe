/**
 * Who may send which message. Every runtime message handler checks its
 * sender: a content script runs in a web page's renderer, so what it sends
 * is only as trustworthy as that page's process; the extension's own pages
 * and its background are the only ones that may ask for settings changes,
 * data clearing or host work.
 */

/** The fields of a runtime message sender the checks read (as `runtime.onMessage` gives them). */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
}

/** The extension itself, as the checks compare senders with it. */
export interface Self {
  /** `runtime.id`. */
  id: string;
  /** `runtime.getURL('')`: `chrome-extension://<id>/` or `moz-extension://<uuid>/`. */
  origin: string;
}

/** A message from one of the extension's content scripts: ours, and from a frame of a tab. */
export function isOwnContentScript(sender: SenderLike, self: Self): boolean {
  return sender.id === self.id && typeof sender.tab?.id === 'number' && sender.tab.id >= 0;
}

/**
 * A message from one of the extension's own pages (popup, options, detail,
 * offscreen document, background): ours, from an extension URL, and, when
 * it is in a tab, a tab that shows an extension page, not an extension
 * frame inside a web page.
 */
export function isOwnExtensionPage(sender: SenderLike, self: Self): boolean {
  if (sender.id !== self.id || !sender.url?.startsWith(self.origin)) return false;
  return sender.tab === undefined || (sender.tab.url?.startsWith(self.origin) ?? false);
}

/** Thrown to a sender that may not send a message: the handler does nothing. */
export class RefusedSenderError extends Error {
  constructor(message: string) {
    super(`message ${message} refused: not from a context allowed to send it`);
    this.name = 'RefusedSenderError';
  }
}

/** Throws {@link RefusedSenderError} unless `allowed`. */
export function requireSender(allowed: boolean, message: string): void {
  if (!allowed) throw new RefusedSenderError(message);
}
