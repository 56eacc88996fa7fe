import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { Badge } from '../../components/Badge';
import badgeCss from '../../components/badge.css?inline';
import type { VerdictSummary } from '../messaging/protocol';
import { type BadgePlacement, badgePlacement, readThenWrite, samePlacement } from './badge-placement';
import type { Pace } from './work-pacer';

/** Tag name of each badge's host element. */
export const BADGE_TAG = 'provenance-lens-badge';

interface Entry {
  ui: ShadowRootContentScriptUi<Root>;
  summary: VerdictSummary;
  onHide: () => void;
  userHidden: boolean;
  suppressed: number;
  /** What was last written to the host, so an unchanged layout writes nothing. */
  applied: BadgePlacement | null;
}

/** What one pass reads about a badge before anything is written. */
interface Measured {
  placement: BadgePlacement;
  popoverOpen: boolean;
}

function composedContains(ancestor: Element, node: Node): boolean {
  let current: Node | null = node;
  while (current) {
    if (current === ancestor) return true;
    current = current instanceof ShadowRoot ? current.host : current.parentNode;
  }
  return false;
}

function important(host: HTMLElement, styles: Record<string, string>): void {
  for (const [name, value] of Object.entries(styles)) host.style.setProperty(name, value, 'important');
}

/**
 * One badge per video, each a React tree in its own shadow root. Hosts live
 * in the browser's top layer (a manual popover), so page stacking contexts,
 * `overflow: hidden` and z-index wars cannot bury them, and they are moved
 * to follow their video on scroll, resize, layout shifts and fullscreen.
 */
export class BadgeLayer {
  private readonly entries = new Map<HTMLVideoElement, Entry>();
  /** Badges being created, with the latest verdict that arrived meanwhile. */
  private readonly pending = new Map<HTMLVideoElement, VerdictSummary>();
  private readonly resizeObserver = new ResizeObserver(() => this.schedule());
  private frame = 0;
  private readonly timer: number;

  constructor(
    private readonly ctx: ContentScriptContext,
    private readonly doc: Document = document,
    /** Opens the detail page or report form for a video (the badge's Details and Report). */
    private readonly openPage?: (video: HTMLVideoElement, view: 'detail' | 'report') => void,
    /** Gives each badge's creation a task of its own (30 videos found at once must not make one long task). */
    private readonly pace: Pace = () => Promise.resolve(),
  ) {
    const win = doc.defaultView ?? window;
    ctx.addEventListener(win, 'scroll', () => this.schedule(), { capture: true, passive: true });
    ctx.addEventListener(win, 'resize', () => this.schedule(), { passive: true });
    ctx.addEventListener(doc, 'fullscreenchange', () => this.onFullscreen());
    // Layout shifts that move a video without resizing it fire no event: look again now and then.
    this.timer = ctx.setInterval(() => this.schedule(), 1000);
  }

  /** Whether an element is one of the badges (hit tests look through them). */
  isOwn(element: Element): boolean {
    return element.localName === BADGE_TAG;
  }

  /** Shows a badge for the video (or updates the one it has). */
  async show(video: HTMLVideoElement, summary: VerdictSummary, onHide: () => void): Promise<void> {
    if (this.entries.has(video)) {
      this.update(video, summary);
      return;
    }
    if (this.pending.has(video)) {
      this.pending.set(video, summary);
      return;
    }
    this.pending.set(video, summary);
    const entry: Partial<Entry> = { summary, onHide, userHidden: false, suppressed: 0, applied: null };
    // Finishing a badge whose verdict is known goes before starting new work.
    await this.pace(true);
    if (!this.pending.has(video)) return;
    const ui = await createShadowRootUi<Root>(this.ctx, {
      name: BADGE_TAG,
      position: 'inline',
      anchor: this.doc.body ?? this.doc.documentElement,
      append: 'last',
      css: badgeCss,
      // WXT's default reset is `all: initial !important` on :host, which would beat the
      // inline positioning below; badge.css resets the host without !important instead.
      inheritStyles: true,
      isolateEvents: [
        'click',
        'dblclick',
        'pointerdown',
        'pointerup',
        'mousedown',
        'mouseup',
        'keydown',
        'keyup',
        'keypress',
      ],
      onMount: (container) => {
        const root = createRoot(container);
        this.render(root, entry as Entry, video);
        return root;
      },
      onRemove: (root) => root?.unmount(),
    });
    entry.summary = this.pending.get(video) ?? summary;
    const wanted = this.pending.delete(video);
    if (!wanted || !video.isConnected) return;
    entry.ui = ui;
    this.entries.set(video, entry as Entry);
    // Styled before it enters the document, so the page lays it out once.
    const host = ui.shadowHost as HTMLElement;
    important(host, {
      position: 'fixed',
      inset: 'auto',
      top: '0',
      left: '0',
      margin: '0',
      padding: '0',
      border: '0',
      background: 'transparent',
      overflow: 'visible',
      width: 'auto',
      height: 'auto',
      'z-index': '2147483647',
      display: 'none',
    });
    host.setAttribute('popover', 'manual');
    ui.mount();
    this.resizeObserver.observe(video);
    this.schedule();
  }

  /** Re-renders a video's badge with a new verdict. */
  update(video: HTMLVideoElement, summary: VerdictSummary): void {
    const entry = this.entries.get(video);
    if (!entry) return;
    entry.summary = summary;
    const root = entry.ui.mounted;
    if (root) this.render(root, entry, video);
  }

  /** Removes a video's badge. */
  remove(video: HTMLVideoElement): void {
    this.pending.delete(video);
    const entry = this.entries.get(video);
    if (!entry) return;
    this.entries.delete(video);
    this.resizeObserver.unobserve(video);
    entry.ui.remove();
  }

  /** Hides the badge until the returned function is called, e.g. while the tab is screenshotted. */
  suppress(video: HTMLVideoElement): () => void {
    const entry = this.entries.get(video);
    if (!entry) return () => undefined;
    entry.suppressed++;
    this.placeOne(entry, video);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.suppressed--;
      this.placeOne(entry, video);
    };
  }

  private render(root: Root, entry: Entry, video: HTMLVideoElement): void {
    root.render(
      createElement(Badge, {
        summary: entry.summary,
        onHide: () => {
          entry.userHidden = true;
          this.placeOne(entry, video);
          entry.onHide();
        },
        onOpen: this.openPage ? (view: 'detail' | 'report') => this.openPage?.(video, view) : undefined,
      }),
    );
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.placeAll();
    });
  }

  private onFullscreen(): void {
    const fullscreen = this.doc.fullscreenElement;
    for (const [video, entry] of this.entries) {
      const host = entry.ui.shadowHost as HTMLElement;
      if (host.matches(':popover-open')) host.hidePopover();
      // Everything outside the fullscreen element is inert, so a badge must live inside it to
      // stay clickable; re-showing it then stacks it above the fullscreen element in the top layer.
      const home =
        fullscreen && fullscreen !== video && composedContains(fullscreen, video)
          ? fullscreen
          : (this.doc.body ?? this.doc.documentElement);
      if (host.parentNode !== home) home.append(host);
      entry.applied = null;
    }
    this.placeAll();
  }

  /** Places every badge: all layout reads first, then the writes that changed. */
  private placeAll(): void {
    readThenWrite(
      this.entries,
      ([video, entry]) => this.measure(entry, video),
      ([, entry], measured) => this.apply(entry, measured),
    );
  }

  private placeOne(entry: Entry, video: HTMLVideoElement): void {
    this.apply(entry, this.measure(entry, video));
  }

  /** Reads the layout for one badge; writes nothing. */
  private measure(entry: Entry, video: HTMLVideoElement): Measured {
    const host = entry.ui.shadowHost as HTMLElement;
    const popoverOpen = host.matches(':popover-open');
    const fullscreen = this.doc.fullscreenElement;
    const inFullscreen = !fullscreen || fullscreen === video || composedContains(fullscreen, video);
    if (entry.userHidden || entry.suppressed > 0 || !inFullscreen)
      return { placement: { visible: false }, popoverOpen };
    const win = this.doc.defaultView ?? window;
    const placement = badgePlacement({
      rect: video.getBoundingClientRect(),
      viewport: { width: win.innerWidth, height: win.innerHeight },
      videoWidth: video.videoWidth,
      videoHeight: video.videoHeight,
      objectFit: getComputedStyle(video).objectFit,
    });
    const visible = placement.visible && video.checkVisibility({ visibilityProperty: true });
    return { placement: visible ? placement : { visible: false }, popoverOpen };
  }

  /** Moves, shows or hides one badge as measured, touching the host only where something changed. */
  private apply(entry: Entry, { placement, popoverOpen }: Measured): void {
    const host = entry.ui.shadowHost as HTMLElement;
    // Reading the inline style costs no layout; a page script that rewrote it gets it back here.
    const display = placement.visible ? 'block' : 'none';
    const unchanged = samePlacement(entry.applied, placement) && host.style.getPropertyValue('display') === display;
    if (!placement.visible) {
      if (!unchanged) host.style.setProperty('display', 'none', 'important');
      if (popoverOpen) host.hidePopover();
      entry.applied = placement;
      return;
    }
    const transform = `translate(${placement.x}px, ${placement.y}px)`;
    if (!unchanged || host.style.getPropertyValue('transform') !== transform) {
      important(host, { display, transform });
      host.toggleAttribute('data-compact', placement.compact);
    }
    entry.applied = placement;
    if (!popoverOpen) {
      try {
        host.showPopover();
      } catch {
        // A page that removed the popover attribute or moved the host: fixed positioning still shows it.
      }
    }
  }

  /** Removes every badge and stops following layout. */
  destroy(): void {
    clearInterval(this.timer);
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    for (const video of [...this.entries.keys()]) this.remove(video);
  }
}
