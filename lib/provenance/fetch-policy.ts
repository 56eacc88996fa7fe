/**
 * Which addresses the extension may fetch for a page: the rule that keeps a
 * page from using it as a proxy into the user's own network. The extension
 * holds `<all_urls>`, so its requests pass the browser's Private Network
 * Access checks that the page's own would meet; it must apply them itself.
 */

/** Whether an IPv4 literal is loopback, private, link-local or unspecified. */
function privateIpv4(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 127 || // loopback 127/8
    a === 10 || // 10/8
    (a === 172 && b >= 16 && b <= 31) || // 172.16/12
    (a === 192 && b === 168) || // 192.168/16
    (a === 169 && b === 254) || // link-local 169.254/16
    a === 0 // "this network"
  );
}

/** Whether an IPv6 literal (without brackets) is loopback, unique-local, link-local or unspecified. */
function privateIpv6(host: string): boolean {
  if (!host.includes(':')) return false;
  const h = host.toLowerCase();
  if (h === '::1' || h === '::') return true;
  // IPv4-mapped (::ffff:a.b.c.d, or as URL parsing writes it, ::ffff:xxxx:xxxx).
  const mapped = /^::ffff:(.+)$/.exec(h)?.[1];
  if (mapped) {
    if (privateIpv4(mapped)) return true;
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(mapped);
    if (hex) {
      const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
      return privateIpv4([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
    }
  }
  const first = parseInt(h.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 // link-local fe80::/10
  );
}

/**
 * Whether a host name (as `URL.hostname` gives it) names the user's own
 * machine or network: `localhost` and its subdomains, and IP literals in
 * 127/8, 10/8, 172.16/12, 192.168/16, 169.254/16, 0/8, ::1, fc00::/7 and
 * fe80::/10. Names that resolve there through DNS are not caught (the
 * extension cannot resolve names itself); see SECURITY.md.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return privateIpv4(host) || privateIpv6(host);
}

/**
 * Whether the extension may fetch `target` for a frame showing `frameUrl`:
 * only `http(s)`, and a private or loopback address only when the frame
 * itself is on one (a page served from the user's own network may have its
 * media read from there; a public page may not reach into it).
 */
export function mayFetchFor(target: string, frameUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  if (!isPrivateHost(url.hostname)) return true;
  try {
    return isPrivateHost(new URL(frameUrl).hostname);
  } catch {
    return false;
  }
}
