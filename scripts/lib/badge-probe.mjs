/**
 * Reads and drives the extension's badges from outside the page, for the end-to-end tests and the benchmarks alike:
 * each badge lives in a closed shadow root that page script cannot open (SECURITY.md), so neither can read it
 * through the page.
 */

/**
 * A badge as the user and a screen reader meet it.
 * @typedef {object} BadgeView
 * @property {string | null} label The pill's accessible name, e.g. "Provenance Lens: Uncertain. Show why."
 * @property {boolean} expanded
 * @property {string | null} verdict The verdict class the badge is drawn with (`data-verdict`).
 * @property {{ role: string | null, reasons: string[], text: string } | null} panel The open panel: its role, reasons
 *   and whole text; null while closed.
 * @property {string[]} buttons The panel's buttons by their visible text.
 * @property {Rect} rect The host's box in the viewport.
 */

/** @typedef {{ x: number, y: number, width: number, height: number }} Rect */

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
 * Reads and drives the badges of a page from outside the page. Over the
 * DevTools protocol it finds every badge host with its closed root
 * (`DOM.getDocument` with `pierce`), and hands each root to a world of its
 * own (`Page.createIsolatedWorld`, which neither the page nor the extension
 * shares) where `host.shadowRoot` is made to return it (`roots` there holds
 * them in document order). Code evaluated there reads the badge as a test
 * would read an open one. Clicks are real mouse clicks at the element's
 * centre (trusted events, as a user makes them), keys go through the
 * keyboard; nothing here is open to the page's own script. Made by
 * {@link BadgeProbe.of}.
 */
export class BadgeProbe {
  /** @type {number | null} */
  #context = null;
  /** @type {import('playwright-core').Page} */
  #page;
  /** @type {import('playwright-core').CDPSession} */
  #cdp;

  /**
   * @param {import('playwright-core').Page} page
   * @param {import('playwright-core').CDPSession} cdp
   */
  constructor(page, cdp) {
    this.#page = page;
    this.#cdp = cdp;
  }

  /**
   * A probe for a page (one DevTools session, kept for the page's life).
   * @param {import('playwright-core').Page} page
   * @returns {Promise<BadgeProbe>}
   */
  static async of(page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    return new BadgeProbe(page, cdp);
  }

  /**
   * Evaluates an expression in the probe's world, where every badge host's
   * `shadowRoot` returns its closed root; `roots` holds them in document order
   * and `shown(element)` gives an element's text as drawn. A promise is awaited.
   * @template T
   * @param {string} expression
   * @returns {Promise<T>}
   */
  async evaluate(expression) {
    const context = await this.#expose();
    const result = await this.#cdp.send('Runtime.evaluate', {
      expression: `(async (roots, shown) => (${expression}))(window.__badgeRoots, ${SHOWN})`,
      contextId: context,
      awaitPromise: true,
      returnByValue: true,
    });
    if (result.exceptionDetails) {
      throw new Error(`badge probe: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    }
    return result.result.value;
  }

  /**
   * Runs a script (statements, e.g. a library's source) in the probe's world.
   * @param {string} script
   * @returns {Promise<void>}
   */
  async run(script) {
    const context = await this.#expose();
    const result = await this.#cdp.send('Runtime.evaluate', { expression: script, contextId: context });
    if (result.exceptionDetails) throw new Error(`badge probe: ${result.exceptionDetails.text}`);
  }

  /**
   * Every badge on the page, in document order.
   * @returns {Promise<BadgeView[]>}
   */
  all() {
    return this.evaluate(`roots.map((root) => {
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

  /**
   * The badge at `index` (document order); throws where there is none.
   * @param {number} [index]
   * @returns {Promise<BadgeView>}
   */
  async one(index = 0) {
    const all = await this.all();
    const badge = all[index];
    if (!badge) throw new Error(`no badge ${index} (${all.length} on the page)`);
    return badge;
  }

  /**
   * How many badges the page has.
   * @returns {Promise<number>}
   */
  async count() {
    return (await this.all()).length;
  }

  /**
   * The box of the element matching `selector` inside badge `index`, null where it has none.
   * @param {string} selector
   * @param {number} [index]
   * @returns {Promise<Rect | null>}
   */
  rectOf(selector, index = 0) {
    return this.evaluate(`(() => {
      const el = roots[${index}]?.querySelector(${JSON.stringify(selector)});
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    })()`);
  }

  /**
   * Clicks the element matching `selector` inside badge `index` with the mouse, as a user does.
   * @param {string} selector
   * @param {number} [index]
   * @returns {Promise<void>}
   */
  async click(selector, index = 0) {
    const rect = await this.rectOf(selector, index);
    if (!rect || rect.width === 0) throw new Error(`badge ${index} has no visible ${selector}`);
    await this.#page.mouse.click(rect.x + rect.width / 2, rect.y + rect.height / 2);
  }

  /**
   * Moves focus to the element matching `selector` inside badge `index` (then keys go to it).
   * @param {string} selector
   * @param {number} [index]
   * @returns {Promise<void>}
   */
  async focus(selector, index = 0) {
    const done = await this.evaluate(`(() => {
      const el = roots[${index}]?.querySelector(${JSON.stringify(selector)});
      el?.focus();
      return !!el;
    })()`);
    if (!done) throw new Error(`badge ${index} has no ${selector}`);
  }

  /**
   * Ends the DevTools session.
   * @returns {Promise<void>}
   */
  async close() {
    await this.#cdp.detach().catch(() => undefined);
  }

  /**
   * Finds every badge's closed root and gives it to the probe's world (again each time: badges come and go).
   * @returns {Promise<number>} the world's execution context
   */
  async #expose() {
    if (this.#context === null) {
      const { frameTree } = await this.#cdp.send('Page.getFrameTree');
      const world = await this.#cdp.send('Page.createIsolatedWorld', {
        frameId: frameTree.frame.id,
        worldName: 'badge-probe',
      });
      this.#context = world.executionContextId;
    }
    const context = this.#context;
    const { root } = await this.#cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    /** @type {number[]} */
    const roots = [];
    // A badge host: any element whose shadow root holds the badge (its tag may differ, see makeHost).
    /** @type {(node: typeof root) => boolean} */
    const holdsBadge = (node) =>
      (node.attributes ?? []).some(
        (value, i) => i % 2 === 1 && /^badge /.test(value) && node.attributes?.[i - 1] === 'class',
      ) || (node.children ?? []).some(holdsBadge);
    /** @type {(node: typeof root) => void} */
    const walk = (node) => {
      // Open or closed: on a build whose badge root is open the tests must read it the same way.
      for (const shadow of node.shadowRoots ?? []) if (holdsBadge(shadow)) roots.push(shadow.backendNodeId);
      for (const child of node.children ?? []) walk(child);
    };
    walk(root);
    /** @type {string[]} */
    const objects = [];
    for (const backendNodeId of roots) {
      const { object } = await this.#cdp.send('DOM.resolveNode', { backendNodeId, executionContextId: context });
      if (object.objectId) objects.push(object.objectId);
    }
    await this.#cdp.send('Runtime.evaluate', { expression: 'window.__badgeRoots = []', contextId: context });
    for (const objectId of objects) {
      await this.#cdp.send('Runtime.callFunctionOn', {
        objectId,
        functionDeclaration: `function () {
          Object.defineProperty(this.host, 'shadowRoot', { value: this, configurable: true });
          window.__badgeRoots.push(this);
        }`,
      });
    }
    return context;
  }
}
