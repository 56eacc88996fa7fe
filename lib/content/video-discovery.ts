/** Callbacks for videos entering and leaving the document. */
export interface DiscoveryHandlers {
  added: (video: HTMLVideoElement) => void;
  removed: (video: HTMLVideoElement) => void;
}

/** Returns the shadow root of an element where the context can see it. */
export type ShadowRootOf = (element: Element) => ShadowRoot | null;

/** Open shadow roots, plus closed ones where the browser lets an extension see them (`chrome.dom`). */
export const defaultShadowRootOf: ShadowRootOf = (element) => {
  if (element.shadowRoot) return element.shadowRoot;
  const dom = typeof chrome === 'undefined' ? undefined : chrome.dom;
  if (!dom?.openOrClosedShadowRoot || !(element instanceof HTMLElement)) return null;
  try {
    return dom.openOrClosedShadowRoot(element) ?? null;
  } catch {
    return null;
  }
};

/**
 * Finds every `<video>` in a document: present at start, added later, and
 * inside shadow roots (also shadow roots attached after their host was
 * inserted, found by a light periodic sweep). Reports each video once when it
 * appears and once when it leaves the document.
 */
export class VideoDiscovery {
  private readonly known = new Set<HTMLVideoElement>();
  private readonly observedRoots = new WeakSet<Node>();
  private readonly observer: MutationObserver;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly doc: Document,
    private readonly handlers: DiscoveryHandlers,
    private readonly shadowRootOf: ShadowRootOf = defaultShadowRootOf,
    private readonly sweepIntervalMs = 4000,
    /** Elements never looked into, such as the extension's own badge hosts (their shadow roots hold no video). */
    private readonly ignore: (element: Element) => boolean = () => false,
  ) {
    this.observer = new MutationObserver((records) => this.onMutations(records));
  }

  /** Starts watching; reports the videos already present. */
  start(): void {
    this.observe(this.doc);
    this.scan(this.doc);
    if (this.sweepIntervalMs > 0) this.sweepTimer = setInterval(() => this.sweep(), this.sweepIntervalMs);
  }

  /** Stops watching and forgets everything (without reporting removals). */
  stop(): void {
    this.observer.disconnect();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.known.clear();
  }

  /** Videos currently known. */
  get videos(): ReadonlySet<HTMLVideoElement> {
    return this.known;
  }

  /** Looks again at the whole document: new shadow roots, and videos gone without a mutation we saw. */
  sweep(): void {
    this.scan(this.doc);
    this.pruneDisconnected();
  }

  private observe(root: Document | ShadowRoot): void {
    if (this.observedRoots.has(root)) return;
    this.observedRoots.add(root);
    this.observer.observe(root, { childList: true, subtree: true });
  }

  private scan(root: ParentNode): void {
    if (root instanceof Element && this.ignore(root)) return;
    if (root instanceof Element && root.localName === 'video') this.add(root as HTMLVideoElement);
    for (const video of root.querySelectorAll('video')) this.add(video);
    const hosts = root instanceof Element ? [root, ...root.querySelectorAll('*')] : root.querySelectorAll('*');
    for (const element of hosts) {
      if (this.ignore(element)) continue;
      const shadow = this.shadowRootOf(element);
      if (shadow) {
        this.observe(shadow);
        this.scan(shadow);
      }
    }
  }

  private add(video: HTMLVideoElement): void {
    if (this.known.has(video)) return;
    this.known.add(video);
    this.handlers.added(video);
  }

  private onMutations(records: MutationRecord[]): void {
    let removedSomething = false;
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) this.scan(node);
      if (record.removedNodes.length > 0) removedSomething = true;
    }
    if (removedSomething) this.pruneDisconnected();
  }

  private pruneDisconnected(): void {
    for (const video of [...this.known]) {
      if (!video.isConnected) {
        this.known.delete(video);
        this.handlers.removed(video);
      }
    }
  }
}
