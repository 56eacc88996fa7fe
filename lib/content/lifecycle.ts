import { browser } from 'wxt/browser';

/** The part of the Navigation API the location watcher uses (not in every TypeScript DOM library yet). */
interface NavigationLike {
  addEventListener(
    type: 'navigate',
    listener: (event: { destination: { url: string } }) => void,
    options?: AddEventListenerOptions,
  ): void;
}

/** How often a content script left behind by an extension reload or update notices and stops. */
const ORPHAN_CHECK_MS = 1000;

/**
 * The content script's own lifecycle, in place of WXT's `ContentScriptContext`.
 *
 * WXT's context shuts the script down when a `CustomEvent` named
 * `<extension id>:content:wxt:content-script-started` reaches `document` with
 * another instance's id in its detail. Page script can dispatch that event (the
 * extension id is public), and every badge would disappear. Here the only
 * reason to stop is the one that cannot be forged: the extension's runtime is
 * gone (reloaded, updated or removed), which `runtime.id` says. Location changes
 * are watched here too, through a callback instead of a DOM event a page could
 * dispatch.
 */
export class ContentLifecycle {
  private readonly controller = new AbortController();
  private lastUrl: string;

  constructor(
    private readonly alive: () => boolean = () => browser.runtime?.id != null,
    private readonly win: Window = window,
  ) {
    this.lastUrl = win.location.href;
    const timer = win.setInterval(() => {
      if (!this.alive()) this.invalidate();
    }, ORPHAN_CHECK_MS);
    this.onInvalidated(() => win.clearInterval(timer));
  }

  /** Aborted once the script stops. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the script still runs (false once the extension's runtime is gone). */
  get isValid(): boolean {
    if (!this.signal.aborted && !this.alive()) this.invalidate();
    return !this.signal.aborted;
  }

  /** Calls `callback` once when the script stops; returns a function that removes it. */
  onInvalidated(callback: () => void): () => void {
    this.signal.addEventListener('abort', callback, { once: true });
    return () => this.signal.removeEventListener('abort', callback);
  }

  /** Adds an event listener that is removed when the script stops. */
  addEventListener(
    target: EventTarget,
    type: string,
    handler: (event: Event) => void,
    options?: AddEventListenerOptions,
  ): void {
    target.addEventListener(type, handler, { ...options, signal: this.signal });
  }

  /** `setInterval` that stops with the script (and skips ticks once it is invalid). */
  setInterval(handler: () => void, ms: number): number {
    const id = this.win.setInterval(() => {
      if (this.isValid) handler();
    }, ms);
    this.onInvalidated(() => this.win.clearInterval(id));
    return id;
  }

  /**
   * Calls `callback` with the new URL when the frame's URL changes in place (as the navigation starts, before
   * `location` changes, where the Navigation API exists; otherwise within a second of the change).
   */
  onLocationChange(callback: (newUrl: URL) => void): void {
    const changed = (href: string) => {
      if (href === this.lastUrl || !this.isValid) return;
      this.lastUrl = href;
      callback(new URL(href));
    };
    const navigation = (this.win as Window & { navigation?: NavigationLike }).navigation;
    if (typeof navigation?.addEventListener === 'function') {
      navigation.addEventListener('navigate', (event) => changed(new URL(event.destination.url).href), {
        signal: this.signal,
      });
    } else {
      this.setInterval(() => changed(this.win.location.href), ORPHAN_CHECK_MS);
    }
  }

  /** Stops the script: every listener, interval and `onInvalidated` callback. */
  invalidate(): void {
    this.controller.abort('Content script context invalidated');
  }
}
