import type { CDPSession, Page } from 'playwright-core';

/** A badge as the user and a screen reader meet it. */
export interface BadgeView {
  /** The pill's accessible name, e.g. "Provenance Lens: Uncertain. Show why." */
  label: string | null;
  expanded: boolean;
  /** The verdict class the badge is drawn with (`data-verdict`). */
  verdict: string | null;
  /** The open panel: its role, reasons and whole text; null while closed. */
  panel: { role: string | null; reasons: string[]; text: string } | null;
  /** The panel's buttons by their visible text. */
  buttons: string[];
  /** The host's box in the viewport. */
  rect: { x: number; y: number; width: number; height: number };
}

type Rect = BadgeView['rect'];

/**
 * An element's text as drawn: the badge draws its verdict text from `data-text` attributes (generated
 * content, which `window.find()` does not search), the rest from text nodes.
 */
const SHOWN = `function shown(node) {
  if (!node) return null;
  if (node.nodeType === Node.TEXT_NODE) return node.data;
  const own = node.getAttribute?.('data-text') ?? '';
  return own + [...node.childNodes].map(shown).join('');
}`;

/**
 * Reads and drives the badges of a page from outside the page, as the tests
 * need to now that each badge lives in a closed shadow root page script cannot
 * open. Over the DevTools protocol it finds every badge host with its closed
 * root (`DOM.getDocument` with `pierce`), and hands each root to a world of its
 * own (`Page.createIsolatedWorld`, which neither the page nor the extension
 * shares) where `host.shadowRoot` is made to return it (`roots` there holds
 * them in document order). Code evaluated there
 * reads the badge as a test would read an open one. Clicks are real mouse
 * clicks at the element's centre (trusted events, as a user makes them), keys
 * go through the keyboard; nothing here is open to the page's own script.
 */
export class BadgeProbe {
  private context: number | null = null;

  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  /** A probe for a page (one DevTools session, kept for the page's life). */
  static async of(page: Page): Promise<BadgeProbe> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    return new BadgeProbe(page, cdp);
  }

  /**
   * Evaluates an expression in the probe's world, where every badge host's
   * `shadowRoot` returns its closed root; `roots` holds them in document order
   * and `shown(element)` gives an element's text as drawn.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const context = await this.expose();
    const result = await this.cdp.send('Runtime.evaluate', {
      expression: `(async (roots, shown) => (${expression}))(window.__badgeRoots, ${SHOWN})`,
      contextId: context,
      awaitPromise: true,
      returnByValue: true,
    });
    if (result.exceptionDetails) {
      throw new Error(`badge probe: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    }
    return result.result.value as T;
  }

  /** Runs a script (statements, e.g. a library's source) in the probe's world. */
  async run(script: string): Promise<void> {
    const context = await this.expose();
    const result = await this.cdp.send('Runtime.evaluate', { expression: script, contextId: context });
    if (result.exceptionDetails) throw new Error(`badge probe: ${result.exceptionDetails.text}`);
  }

  /** Every badge on the page, in document order. */
  all(): Promise<BadgeView[]> {
    return this.evaluate<BadgeView[]>(`roots.map((root) => {
      const pill = root.querySelector('button.pill');
      const panel = root.querySelector('.panel');
      const r = root.host.getBoundingClientRect();
      return {
        label: pill?.getAttribute('aria-label') ?? null,
        expanded: pill?.getAttribute('aria-expanded') === 'true',
        verdict: root.querySelector('.badge')?.getAttribute('data-verdict') ?? null,
        panel: panel && {
          role: panel.getAttribute('role'),
          reasons: [...panel.querySelectorAll('.reasons li')].map(shown),
          text: shown(panel),
        },
        buttons: [...root.querySelectorAll('.actions button')].map((b) => b.textContent),
        rect: { x: r.x, y: r.y, width: r.width, height: r.height },
      };
    })`);
  }

  /** The badge at `index` (document order); throws where there is none. */
  async one(index = 0): Promise<BadgeView> {
    const all = await this.all();
    const badge = all[index];
    if (!badge) throw new Error(`no badge ${index} (${all.length} on the page)`);
    return badge;
  }

  /** How many badges the page has. */
  async count(): Promise<number> {
    return (await this.all()).length;
  }

  /** The box of the element matching `selector` inside badge `index`, null where it has none. */
  rectOf(selector: string, index = 0): Promise<Rect | null> {
    return this.evaluate<Rect | null>(`(() => {
      const el = roots[${index}]?.querySelector(${JSON.stringify(selector)});
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    })()`);
  }

  /** Clicks the element matching `selector` inside badge `index` with the mouse, as a user does. */
  async click(selector: string, index = 0): Promise<void> {
    const rect = await this.rectOf(selector, index);
    if (!rect || rect.width === 0) throw new Error(`badge ${index} has no visible ${selector}`);
    await this.page.mouse.click(rect.x + rect.width / 2, rect.y + rect.height / 2);
  }

  /** Moves focus to the element matching `selector` inside badge `index` (then keys go to it). */
  async focus(selector: string, index = 0): Promise<void> {
    const done = await this.evaluate<boolean>(`(() => {
      const el = roots[${index}]?.querySelector(${JSON.stringify(selector)});
      el?.focus();
      return !!el;
    })()`);
    if (!done) throw new Error(`badge ${index} has no ${selector}`);
  }

  /** Ends the DevTools session. */
  async close(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }

  /** Finds every badge's closed root and gives it to the probe's world (again each time: badges come and go). */
  private async expose(): Promise<number> {
    if (this.context === null) {
      const { frameTree } = await this.cdp.send('Page.getFrameTree');
      const world = await this.cdp.send('Page.createIsolatedWorld', {
        frameId: frameTree.frame.id,
        worldName: 'badge-probe',
      });
      this.context = world.executionContextId;
    }
    const { root } = await this.cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const roots: number[] = [];
    type Node = typeof root;
    // A badge host: any element whose shadow root holds the badge (its tag may differ, see makeHost).
    const holdsBadge = (node: Node): boolean =>
      (node.attributes ?? []).some(
        (value, i) => i % 2 === 1 && /^badge /.test(value) && node.attributes![i - 1] === 'class',
      ) || (node.children ?? []).some(holdsBadge);
    const walk = (node: Node) => {
      // Open or closed: on a build whose badge root is open the tests must read it the same way.
      for (const shadow of node.shadowRoots ?? []) if (holdsBadge(shadow)) roots.push(shadow.backendNodeId);
      for (const child of node.children ?? []) walk(child);
    };
    walk(root);
    const objects: string[] = [];
    for (const backendNodeId of roots) {
      const { object } = await this.cdp.send('DOM.resolveNode', { backendNodeId, executionContextId: this.context });
      if (object.objectId) objects.push(object.objectId);
    }
    await this.cdp.send('Runtime.evaluate', { expression: 'window.__badgeRoots = []', contextId: this.context });
    for (const objectId of objects) {
      await this.cdp.send('Runtime.callFunctionOn', {
        objectId,
        functionDeclaration: `function () {
          Object.defineProperty(this.host, 'shadowRoot', { value: this, configurable: true });
          window.__badgeRoots.push(this);
        }`,
      });
    }
    return this.context;
  }
}
