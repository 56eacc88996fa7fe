import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Badge } from '../../components/Badge';
import badgeCss from '../../components/badge.css?inline';
import type { VerdictSummary } from '../messaging/protocol';
import { type BadgePlacement, badgePlacement, readThenWrite, samePlacement } from './badge-placement';
import type { ContentLifecycle } from './lifecycle';
import type { Pace } from './work-pacer';

/** Tag name of each badge's host element (a plain `span` where the page has claimed the name, see {@link makeHost}). */
export const BADGE_TAG = 'provenance-lens-badge';

/** Events kept inside the badge: a click on it must not reach the page's player. */
const ISOLATED_EVENTS = [
  'click',
  'dblclick',
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
  'keydown',
  'keyup',
  'keypress',
] as const;

/**
 * The host's own rules, inside its closed root: `!important` declarations of a
 * shadow tree win over the page's, even the page's `!important` ones and its
 * inline styles, so page CSS can neither hide nor restyle the host. The
 * position goes in a second sheet, rewritten as the video moves.
 */
const HOST_CSS = `:host {
  all: initial !important;
  position: fixed !important;
  inset: auto !important;
  top: 0 !important;
  left: 0 !important;
  margin: 0 !important;
  padding: 0 !important;
  border: 0 !important;
  background: transparent !important;
  overflow: visible !important;
  width: auto !important;
  height: auto !important;
  z-index: 2147483647 !important;
  display: none !important;
}`;

/** A badge's host and the parts of its closed shadow root the layer keeps. */
interface Host {
  element: HTMLElement;
  /** Holds the position rule (written as the video moves). */
  placement: HTMLStyleElement;
  root: Root;
}

interface Entry {
  host: Host;
  summary: VerdictSummary;
  onHide: () => void;
  userHidden: boolean;
  suppressed: number;
  /** What was last written to the host, so an unchanged layout writes nothing. */
  applied: BadgePlacement | null;
}

/**
 * Makes a badge's host with a closed shadow root: page script gets no handle on
 * anything inside (`host.shadowRoot` is null) and the host carries no
 * attribute but `popover`. A custom element the page defined under the badge's
 * name would run page code on the host and could reach a closed root through
 * `attachInternals()`: then the host is a plain `span`.
 */
function makeHost(doc: Document): { element: HTMLElement; shadow: ShadowRoot } {
  let element = doc.createElement(BADGE_TAG);
  if (element.matches(':defined')) element = doc.createElement('span');
  const shadow = element.attachShadow({ mode: 'closed' });
  return { element, shadow };
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

/**
 * One badge per video, each a React tree in its own shadow root. Hosts live
 * in the browser's top layer (a manual popover), so page stacking contexts,
 * `overflow: hidden` and z-index wars cannot bury them, and they are moved
 * to follow their video on scroll, resize, layout shifts and fullscreen.
 */
export class BadgeLayer {
  /** Every host this layer made (the page can copy a tag name, not membership here). */
  private readonly hosts = new WeakSet<Element>();
  private readonly entries = new Map<HTMLVideoElement, Entry>();
  /** Badges being created, with the latest verdict that arrived meanwhile. */
  private readonly pending = new Map<HTMLVideoElement, VerdictSummary>();
  private readonly resizeObserver = new ResizeObserver(() => this.schedule());
  private frame = 0;
  private readonly timer: number;

  constructor(
    private readonly ctx: ContentLifecycle,
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
    return this.hosts.has(element);
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
    entry.summary = this.pending.get(video) ?? summary;
    const wanted = this.pending.delete(video);
    if (!wanted || !video.isConnected) return;
    const { element, shadow } = makeHost(this.doc);
    const base = this.doc.createElement('style');
    base.textContent = `${HOST_CSS}\n${badgeCss}`;
    const placement = this.doc.createElement('style');
    const container = this.doc.createElement('div');
    for (const type of ISOLATED_EVENTS) container.addEventListener(type, (event) => event.stopPropagation());
    shadow.append(base, placement, container);
    entry.host = { element, placement, root: createRoot(container) };
    this.hosts.add(element);
    this.entries.set(video, entry as Entry);
    this.render(entry as Entry, video);
    element.setAttribute('popover', 'manual');
    // Hidden (HOST_CSS) until the first placement, so the page lays it out once.
    (this.doc.body ?? this.doc.documentElement).append(element);
    this.resizeObserver.observe(video);
    this.schedule();
  }

  /** Re-renders a video's badge with a new verdict. */
  update(video: HTMLVideoElement, summary: VerdictSummary): void {
    const entry = this.entries.get(video);
    if (!entry) return;
    entry.summary = summary;
    this.render(entry, video);
  }

  /** Removes a video's badge. */
  remove(video: HTMLVideoElement): void {
    this.pending.delete(video);
    const entry = this.entries.get(video);
    if (!entry) return;
    this.entries.delete(video);
    this.resizeObserver.unobserve(video);
    entry.host.root.unmount();
    entry.host.element.remove();
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

  private render(entry: Entry, video: HTMLVideoElement): void {
    entry.host.root.render(
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
    for (const [video, entry] of this.entries) {
      const host = entry.host.element;
      if (host.matches(':popover-open')) host.hidePopover();
      const home = this.homeFor(video);
      if (host.parentNode !== home) home.append(host);
      entry.applied = null;
    }
    this.placeAll();
  }

  /**
   * Where a video's badge lives: everything outside the fullscreen element is inert, so a badge must live
   * inside it to stay clickable; re-showing it then stacks it above the fullscreen element in the top layer.
   */
  private homeFor(video: HTMLVideoElement): Element {
    const fullscreen = this.doc.fullscreenElement;
    return fullscreen && fullscreen !== video && composedContains(fullscreen, video)
      ? fullscreen
      : (this.doc.body ?? this.doc.documentElement);
  }

  /** Places every badge: all layout reads first, then the writes that changed. */
  private placeAll(): void {
    readThenWrite(
      this.entries,
      ([video, entry]) => this.measure(entry, video),
      ([video, entry], measured) => this.apply(entry, measured, video),
    );
  }

  private placeOne(entry: Entry, video: HTMLVideoElement): void {
    this.apply(entry, this.measure(entry, video), video);
  }

  /** Reads the layout for one badge; writes nothing. */
  private measure(entry: Entry, video: HTMLVideoElement): Measured {
    const host = entry.host.element;
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
  private apply(entry: Entry, { placement, popoverOpen }: Measured, video: HTMLVideoElement): void {
    const host = entry.host.element;
    const unchanged = samePlacement(entry.applied, placement);
    entry.applied = placement;
    if (!placement.visible) {
      if (!unchanged) entry.host.placement.textContent = '';
      if (popoverOpen) host.hidePopover();
      return;
    }
    if (!unchanged) {
      // In the closed root, where page script cannot rewrite it (the host has no inline style to rewrite).
      const compact = placement.compact ? '.label-box { display: none; }' : '';
      entry.host.placement.textContent = `:host { display: block !important; transform: translate(${placement.x}px, ${placement.y}px) !important; }${compact}`;
    }
    this.reclaim(host, video);
    if (!popoverOpen) {
      try {
        host.showPopover();
      } catch {
        // A page that moved the host where a popover cannot open: fixed positioning still shows it.
      }
    }
  }

  /**
   * Undoes what page script did to a shown badge's host: put back in the document if removed, and every
   * attribute but `popover` dropped (`hidden`, `inert`, `style`…). Cheap when nothing changed: two reads.
   */
  private reclaim(host: HTMLElement, video: HTMLVideoElement): void {
    if (!host.isConnected) this.homeFor(video).append(host);
    if (host.attributes.length === 1 && host.getAttribute('popover') === 'manual') return;
    for (const name of host.getAttributeNames()) host.removeAttribute(name);
    host.setAttribute('popover', 'manual');
  }

  /** Removes every badge and stops following layout. */
  destroy(): void {
    clearInterval(this.timer);
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    for (const video of [...this.entries.keys()]) this.remove(video);
  }
}
