import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Parses an adapter fixture page into a Document (jsdom). */
export function load(name: string): Document {
  // Vitest runs from the project root; under jsdom `import.meta.url` is not a file URL, so resolve from there.
  const html = readFileSync(join(process.cwd(), 'tests/unit/adapters/fixtures', name), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

/** The `<video>` at `selector`, or a clear failure. */
export function video(doc: Document, selector: string): HTMLVideoElement {
  const el = doc.querySelector(selector);
  if (!el || el.tagName !== 'VIDEO') throw new Error(`no video at ${selector}`);
  return el as HTMLVideoElement;
}
