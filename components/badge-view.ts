import { VERDICT_LABELS } from '../lib/core/verdict';
import type { VerdictSummary } from '../lib/messaging/protocol';
import { scoreText, VERDICT_STYLE } from './verdict-style';

const PATH_LABELS = {
  canvas: 'read from the page',
  'tab-capture': 'from a screenshot of the tab',
  'offscreen-fetch': 'from the video file',
} as const;

/** What a badge can ask of the page around it. */
export interface BadgeActions {
  /** Hides the badge for this video. */
  onHide: () => void;
  /** Opens the extension's detail page for this video, or its report form. */
  onOpen?: (view: 'detail' | 'report') => void;
}

let panels = 0;

function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className: string,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  if (className) el.className = className;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * The small verdict pill over a video's corner. Click (or Enter) opens the
 * top reasons; Escape closes them. It stays small so it never covers the
 * site's own controls.
 *
 * Plain DOM rather than React: the content script runs on every page, and
 * without a UI library it is a fraction of the size to load and evaluate, and
 * creating 30 badges at once is cheap. Updates change the existing nodes, so
 * focus stays where it is when a new verdict arrives.
 */
export class BadgeView {
  /** The badge's root element, to put into its shadow root. */
  readonly element: HTMLDivElement;
  private readonly pill: HTMLButtonElement;
  private readonly glyph: HTMLSpanElement;
  private readonly label: HTMLSpanElement;
  private readonly panelId = `provenance-lens-why-${++panels}`;
  private panel: { root: HTMLDivElement; reasons: HTMLUListElement; meta: HTMLParagraphElement } | null = null;
  private open = false;

  constructor(
    private readonly doc: Document,
    private summary: VerdictSummary,
    private readonly actions: BadgeActions,
  ) {
    this.element = element(doc, 'div', '');
    this.pill = element(doc, 'button', 'pill', { type: 'button', 'aria-controls': this.panelId });
    this.glyph = element(doc, 'span', 'glyph', { 'aria-hidden': 'true' });
    this.label = element(doc, 'span', 'label');
    this.pill.append(this.glyph, this.label);
    this.element.append(this.pill);
    this.pill.addEventListener('click', () => this.setOpen(!this.open));
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.open) {
        this.setOpen(false);
        this.pill.focus();
      }
    });
    this.render();
  }

  /** Shows a new verdict (an open panel stays open). */
  update(summary: VerdictSummary): void {
    this.summary = summary;
    this.render();
  }

  /** Whether the reasons are shown. */
  get expanded(): boolean {
    return this.open;
  }

  private setOpen(open: boolean): void {
    this.open = open;
    this.render();
  }

  private render(): void {
    const { summary } = this;
    const style = VERDICT_STYLE[summary.level];
    const label = VERDICT_LABELS[summary.level];
    this.element.className = `badge ${style.className}`;
    this.element.dataset.verdict = summary.level;
    this.pill.setAttribute(
      'aria-label',
      `Provenance Lens: ${label}${scoreText(summary.level, summary.score)}. ${this.open ? 'Hide' : 'Show'} why.`,
    );
    this.pill.setAttribute('aria-expanded', String(this.open));
    this.glyph.textContent = style.glyph;
    this.label.textContent = label;
    if (!this.open) {
      this.panel?.root.remove();
      this.panel = null;
      return;
    }
    this.panel ??= this.createPanel();
    const reasons = summary.reasons.slice(0, 3);
    const shown = [...this.panel.reasons.children].map((li) => li.textContent);
    if (shown.length !== reasons.length || shown.some((text, i) => text !== reasons[i])) {
      this.panel.reasons.replaceChildren(...reasons.map((reason) => element(this.doc, 'li', '', {}, reason)));
    }
    if (summary.framesAnalysed > 0) {
      const n = summary.framesAnalysed;
      const path = summary.framePath ? `, ${PATH_LABELS[summary.framePath]}` : '';
      this.panel.meta.textContent = `${n} frame${n === 1 ? '' : 's'} analysed${path}. Nothing left your device.`;
      if (!this.panel.meta.isConnected) this.panel.reasons.after(this.panel.meta);
    } else {
      this.panel.meta.remove();
    }
  }

  private createPanel(): NonNullable<BadgeView['panel']> {
    const root = element(this.doc, 'div', 'panel', {
      id: this.panelId,
      role: 'region',
      'aria-label': 'Why this verdict',
    });
    const reasons = element(this.doc, 'ul', 'reasons');
    const meta = element(this.doc, 'p', 'meta');
    const group = element(this.doc, 'div', 'actions', { role: 'group', 'aria-label': 'Video actions' });
    const { onOpen, onHide } = this.actions;
    if (onOpen) {
      const details = element(this.doc, 'button', 'action details', { type: 'button' }, 'Details');
      details.addEventListener('click', () => onOpen('detail'));
      const report = element(this.doc, 'button', 'action report', { type: 'button' }, 'Report');
      report.addEventListener('click', () => onOpen('report'));
      group.append(details, report);
    }
    const hide = element(
      this.doc,
      'button',
      'action hide',
      { type: 'button', 'aria-label': 'Hide badge on this video' },
      'Hide',
    );
    hide.addEventListener('click', () => onHide());
    group.append(hide);
    root.append(reasons, group);
    this.element.append(root);
    return { root, reasons, meta };
  }
}
