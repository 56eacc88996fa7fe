/**
 * c2pa-rs `verify` settings that keep every reading offline: a manifest
 * stored remotely (a URL in the file's XMP `dcterms:provenance`) is not
 * fetched, nor are OCSP answers for the signer's certificate. The URL comes
 * from the file, that is from whoever serves it, so fetching it would let a
 * page make the extension (or `npm run scan`) call any server it names.
 */
export const C2PA_OFFLINE_VERIFY = { remote_manifest_fetch: false, ocsp_fetch: false } as const;

/**
 * The reason to show when c2pa-rs declined to fetch a remote manifest, or
 * null for any other error. Generic on purpose: the URL is the file's, not
 * something to repeat where a page could read it.
 */
export function remoteManifestReason(error: unknown): string | null {
  const text = error instanceof Error ? error.message : String(error);
  return /remote manifest|RemoteManifest/i.test(text)
    ? 'the file names Content Credentials stored elsewhere, which are never fetched'
    : null;
}

/**
 * c2pa-rs `core` settings that keep its HTTP resolver from reaching any host: reading a CAWG identity claims
 * aggregation resolves the credential issuer's `did:web` document over HTTPS, from a domain the file names, and a
 * page must not make the extension (or `npm run scan`) call a server of its choosing. An empty allow-list lets no
 * host through (c2pa-rs's `allowed_network_hosts`); the identity then reads as unverified, never the manifest.
 */
export const C2PA_NO_NETWORK = { allowed_network_hosts: [] as string[] } as const;
