import { isPrivateHost } from '../provenance/fetch-policy';

/** The Content Credentials verify site's page that reads a file given by its address (`?source=`). */
export const VERIFY_SITE_PAGE = 'https://contentcredentials.org/verify';

/** What the verify link would send, and whether the address carries a query that may hold an access token. */
export interface VerifyLink {
  /** The page to open: {@link VERIFY_SITE_PAGE} with the file's address as `source`. */
  url: string;
  /** The file's address, exactly as it would reach that site. */
  source: string;
  /** The address has a query (`?…`): signed addresses carry their access token there, and it goes too. */
  hasQuery: boolean;
}

/**
 * The verify site's page for a video's file, or null when its address is not one to hand to a public site:
 * only a whole `http(s)` address of a public host. Never a stream (`blob:`), a `data:` or `file:` address (they
 * name nothing the site can fetch and may hold the user's own data), an address with a user name or password,
 * one on a loopback, private or link-local host (the user's own network), or one the results cut short (`…`,
 * another file). An address with a query is allowed (the site needs it to fetch a signed file) and said so.
 */
export function verifyLink(src: string): VerifyLink | null {
  // Addresses the results cut at their length limit end in an ellipsis, which a real URL never holds unescaped.
  if (!src || src.includes('…')) return null;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || isPrivateHost(url.hostname)) return null;
  // Only dotted public names or IP literals: a bare intranet name (`http://nas/clip.mp4`) is the user's network too.
  if (!url.hostname.includes('.') && !url.hostname.startsWith('[')) return null;
  const source = url.href;
  return { url: `${VERIFY_SITE_PAGE}?source=${encodeURIComponent(source)}`, source, hasQuery: url.search.length > 1 };
}
