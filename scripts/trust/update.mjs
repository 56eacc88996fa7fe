/**
 * `npm run trust:update -- [--interim-date YYYY-MM-DD] <files>...`: rebuilds the trust lists the extension and
 * `npm run scan` bundle (`public/trust/`) from the files as the C2PA publishes them:
 *
 * - the official C2PA Trust List: `C2PA-TRUST-LIST.pem` and `C2PA-TRUST-LIST.json` (ETSI TS 119 602 "LoTE");
 * - its time-stamping authorities: `C2PA-TSA-TRUST-LIST.pem` and `.json`;
 * - the interim ("legacy") list of the Content Credentials verify site: its anchors, allowed end-entity
 *   certificates and accepted extended key usages (`*anchors*.pem`, `*allowed*.pem`, `*.cfg`);
 * - the C2PA Conforming Products List (`conforming-products-list.json`): which products may claim what. It is
 *   written as `conforming-products.json`, each record reduced to what the reader matches and shows (its
 *   distinguished name, kind, status, lowest conformant version, assurance level, disallowed rubric signals and
 *   media kinds). The list carries no date of its own: its date is the latest `lastModification` of its records.
 *
 * Which file is which comes from its content (the JSON's scheme name, or a JSON array of product records) or its name. Every certificate is parsed
 * (an unreadable one stops the update with its file named, and nothing is written); the PEM files are written
 * back as bare certificate blocks. `lists.json` records each list's name, issue date and next update (from the
 * JSON; the interim list carries none, so `--interim-date` gives the date it was published, else the previous
 * one is kept), certificate counts and the SHA-256 of each file written.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(root, 'public/trust');

/** Certificate blocks of a PEM text, each parsed so a damaged one is caught here rather than in the reader. */
function certificates(file) {
  const text = readFileSync(file, 'utf8');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${file}: no certificate found`);
  return blocks.map((block, i) => {
    try {
      const cert = new X509Certificate(block);
      return { pem: cert.toString().trim(), subject: cert.subject.replace(/\n/g, ', ') };
    } catch (error) {
      throw new Error(`${file}: certificate ${i + 1} cannot be parsed (${error.message})`);
    }
  });
}

/** The scheme information of a LoTE JSON list: its name and dates. */
function schemeOf(file) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const info = json?.LoTE?.ListAndSchemeInformation;
  const name = info?.SchemeName?.find?.((n) => n.lang === 'en')?.value ?? info?.SchemeName?.[0]?.value;
  if (typeof name !== 'string') throw new Error(`${file}: not a C2PA trust list (no LoTE scheme name)`);
  return {
    name,
    issued: String(info.ListIssueDateTime ?? ''),
    nextUpdate: String(info.NextUpdate ?? ''),
    certificates: (json.LoTE.TrustedEntitiesList ?? []).flatMap((entity) =>
      (entity?.TrustedEntityServices ?? []).flatMap(
        (service) => service?.ServiceInformation?.ServiceDigitalIdentity?.X509Certificates ?? [],
      ),
    ).length,
  };
}

/** The record kinds of the products list, in the bundle's words. */
const PRODUCT_KINDS = { generatorProduct: 'generator', validatorProduct: 'validator' };

/**
 * The Conforming Products List reduced to what the reader matches and shows, with its date. A record that lacks
 * its distinguished name, kind or status stops the update: a damaged list is caught here, not in the reader.
 */
function productsOf(file, records) {
  let issued = '';
  const products = records.map((r, i) => {
    const p = r?.product ?? {};
    const kind = PRODUCT_KINDS[p.productType];
    const text = (v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const [id, name, vendor, status] = [text(r?.recordId), text(p.DN?.CN), text(p.DN?.O), text(r?.status)];
    if (!kind || !id || !name || !vendor || !status) {
      throw new Error(`${file}: product record ${i + 1} lacks its id, kind, DN (CN, O) or status`);
    }
    const modified = text(r?.dates?.lastModification) ?? '';
    if (modified > issued) issued = modified;
    const level = p.assurance?.maxAssuranceLevel;
    return {
      id,
      kind,
      name,
      vendor,
      ...(text(p.DN?.OU) ? { unit: text(p.DN.OU) } : {}),
      status,
      ...(text(p.minVersion) ? { minVersion: text(p.minVersion) } : {}),
      ...(typeof level === 'number' ? { assuranceLevel: level } : {}),
      disallowed: (p.disallowedSignals?.inception ?? []).filter((s) => typeof s === 'string'),
      media: Object.keys(r?.containers?.generate ?? {}),
    };
  });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(issued)) throw new Error(`${file}: no record carries a lastModification date`);
  return { version: 1, name: 'C2PA Conforming Products List', issued, products };
}

/** Sorts the given files into their roles. */
function classify(files) {
  const found = {};
  for (const file of files) {
    const name = basename(file).toLowerCase();
    const parsed = name.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    if (Array.isArray(parsed)) {
      found.products = productsOf(file, parsed);
    } else if (name.endsWith('.json')) {
      const scheme = schemeOf(file);
      found[/tsa/i.test(scheme.name) ? 'tsaJson' : 'officialJson'] = { file, scheme };
    } else if (name.endsWith('.cfg')) found.legacyConfig = file;
    else if (name.endsWith('.pem')) {
      if (name.includes('tsa')) found.tsaPem = file;
      else if (name.includes('allowed')) found.legacyAllowed = file;
      else if (name.includes('interim') || name.includes('anchors')) found.legacyAnchors = file;
      else found.officialPem = file;
    } else throw new Error(`${file}: not a trust list file (.pem, .json or .cfg)`);
  }
  return found;
}

/** The extended key usages of a store.cfg: OID lines, comments dropped. */
function keyUsages(file) {
  const oids = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'));
  for (const oid of oids) if (!/^\d+(\.\d+)+$/.test(oid)) throw new Error(`${file}: "${oid}" is not an OID`);
  return `${oids.join('\n')}\n`;
}

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

function main() {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const dateAt = args.indexOf('--interim-date');
  const interimDate = dateAt >= 0 ? args[dateAt + 1] : undefined;
  if (interimDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(interimDate)) {
    throw new Error('--interim-date takes a date as YYYY-MM-DD');
  }
  const files = args.filter((a, i) => !a.startsWith('--') && !(dateAt >= 0 && i === dateAt + 1));
  if (files.length === 0) {
    console.error('usage: npm run trust:update -- [--interim-date YYYY-MM-DD] <trust list files>...');
    process.exit(2);
  }
  const found = classify(files.map((f) => resolve(f)));
  const previousPath = join(OUT, 'lists.json');
  const previous = existsSync(previousPath) ? JSON.parse(readFileSync(previousPath, 'utf8')) : { lists: {} };
  const lists = { ...previous.lists };
  const writes = [];
  const pemOut = (name, certs) => {
    const text = `${certs.map((c) => c.pem).join('\n')}\n`;
    writes.push([name, text]);
    return { file: name, certificates: certs.length, sha256: sha256(text) };
  };

  if (found.officialPem || found.officialJson || found.tsaPem || found.tsaJson) {
    for (const need of ['officialPem', 'officialJson', 'tsaPem', 'tsaJson']) {
      if (!found[need]) throw new Error(`the official list needs all four files; ${need} is missing`);
    }
    const anchors = certificates(found.officialPem);
    const tsa = certificates(found.tsaPem);
    const { scheme } = found.officialJson;
    // The PEM and the JSON are published together: a different count means they do not belong together.
    for (const [json, pem] of [
      [scheme, anchors],
      [found.tsaJson.scheme, tsa],
    ]) {
      if (json.certificates !== pem.length) {
        throw new Error(
          `${json.name}: the JSON lists ${json.certificates} certificates but the PEM holds ${pem.length}`,
        );
      }
    }
    lists.official = {
      name: scheme.name,
      issued: scheme.issued,
      nextUpdate: scheme.nextUpdate,
      anchors: pemOut('official.pem', anchors),
      tsa: {
        name: found.tsaJson.scheme.name,
        issued: found.tsaJson.scheme.issued,
        nextUpdate: found.tsaJson.scheme.nextUpdate,
        ...pemOut('official-tsa.pem', tsa),
      },
    };
  }
  if (found.products) {
    const text = `${JSON.stringify(found.products)}\n`;
    writes.push(['conforming-products.json', text]);
    lists.products = {
      name: found.products.name,
      issued: found.products.issued,
      file: 'conforming-products.json',
      products: found.products.products.length,
      sha256: sha256(text),
    };
  }
  if (found.legacyAnchors || found.legacyAllowed || found.legacyConfig) {
    for (const need of ['legacyAnchors', 'legacyAllowed', 'legacyConfig']) {
      if (!found[need])
        throw new Error(`the interim list needs its anchors, allowed list and store.cfg; ${need} is missing`);
    }
    const issued = interimDate ?? previous.lists?.legacy?.issued;
    if (!issued) throw new Error('the interim list carries no date: give it with --interim-date YYYY-MM-DD');
    const config = keyUsages(found.legacyConfig);
    writes.push(['legacy-store.cfg', config]);
    lists.legacy = {
      name: 'Interim trust list (Content Credentials verify site, frozen on 2026-01-01)',
      issued,
      nextUpdate: null,
      anchors: pemOut('legacy-anchors.pem', certificates(found.legacyAnchors)),
      allowed: pemOut('legacy-allowed.pem', certificates(found.legacyAllowed)),
      config: { file: 'legacy-store.cfg', sha256: sha256(config) },
    };
  }

  mkdirSync(OUT, { recursive: true });
  for (const [name, text] of writes) writeFileSync(join(OUT, name), text);
  writeFileSync(previousPath, `${JSON.stringify({ version: 1, lists }, null, 2)}\n`);
  for (const [id, list] of Object.entries(lists)) {
    const next = id === 'products' ? `${list.products} products` : `next update ${list.nextUpdate ?? 'none'}`;
    console.log(`${id}: ${list.name}, issued ${list.issued}, ${next}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`trust:update: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
