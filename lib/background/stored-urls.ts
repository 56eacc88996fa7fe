/**
 * Addresses as the results keep them. A page chooses its video's `src` and
 * its own URL, and `storage.session` holds about 10 MB for the whole
 * extension: a 10 MB `data:` URL stored as is would fill it and stall every
 * other tab. So `data:` URLs are kept as their media type and SHA-256, and
 * any other address is cut at {@link MAX_STORED_URL_CHARS}.
 */

/** Longest address kept in a report (`src`, `pageUrl`, poster). */
export const MAX_STORED_URL_CHARS = 2048;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The address to keep: `data:<type>;sha256=<hex>` for a `data:` URL (the
 * same URL always gives the same form, so a video keeps its identity), the
 * address itself when short, else its first characters and an ellipsis.
 */
export async function storedUrl(url: string): Promise<string> {
  if (/^data:/i.test(url)) {
    const type = /^data:([\w.+-]{1,64}\/[\w.+-]{1,64})/i.exec(url)?.[1]?.toLowerCase() ?? 'unknown';
    return `data:${type};sha256=${await sha256Hex(url)}`;
  }
  return url.length <= MAX_STORED_URL_CHARS ? url : `${url.slice(0, MAX_STORED_URL_CHARS - 1)}…`;
}

/** Whether an address is kept whole (so that it may be fetched: a cut one names another file). */
export function isStoredWhole(url: string): boolean {
  return url.length <= MAX_STORED_URL_CHARS && !/^data:/i.test(url);
}
