import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import init, { WasmReader } from '@contentauth/c2pa-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeTrustSet } from '../../../lib/node/provenance';
import { settingsJson } from '../../../lib/provenance/browser-reader';

/**
 * The extension's own reader (c2pa-rs as wasm, the build the worker loads) with the settings the worker hands it:
 * `npm run scan` reads with the Node binding, so the scan's tests alone would not see the extension's reader lose the
 * trust lists or go to the network. (A remote manifest is not tested here: this wasm build makes no request in Node
 * whatever its settings say; the hostile-servers e2e test proves the extension's reader makes none in Chromium.)
 */
const WASM = resolve(__dirname, '../../../node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm');
const SORA = resolve(
  __dirname,
  '../../../../shared/data/ai-video/sammyatman__videogen/examples__onions__sora_1_t2v.mp4',
);

interface Store {
  validation_state?: string;
  validation_results?: { activeManifest?: Record<'success' | 'failure' | 'informational', { code: string }[]> };
}

function codes(store: Store, kind: 'success' | 'failure' | 'informational'): string[] {
  return (store.validation_results?.activeManifest?.[kind] ?? []).map((c) => c.code);
}

/**
 * The wasm reader reads its blob with `FileReaderSync`, which only workers have: in Node the test gives it a blob
 * that keeps its bytes at hand, and a `FileReaderSync` that returns them.
 */
class HeldBlob extends Blob {
  constructor(
    readonly held: Uint8Array<ArrayBuffer>,
    type = '',
  ) {
    super([held], { type });
  }

  override slice(start = 0, end = this.held.length, type = ''): HeldBlob {
    const at = (i: number) => (i < 0 ? Math.max(0, this.held.length + i) : Math.min(i, this.held.length));
    return new HeldBlob(this.held.subarray(at(start), Math.max(at(start), at(end))), type);
  }
}

class HeldReaderSync {
  readAsArrayBuffer(blob: HeldBlob): ArrayBuffer {
    return blob.held.slice().buffer;
  }
}

async function read(type: string, bytes: Uint8Array<ArrayBuffer>, settings: string): Promise<Store> {
  const reader = await WasmReader.fromBlob(type, new HeldBlob(bytes, type), settings);
  try {
    return reader.manifestStore() as Store;
  } finally {
    reader.free();
  }
}

beforeAll(async () => {
  vi.stubGlobal('FileReaderSync', HeldReaderSync);
  await init({ module_or_path: readFileSync(WASM) });
}, 60_000);
afterAll(() => vi.unstubAllGlobals());

if (!existsSync(SORA)) console.warn(`skipping the wasm reader's real-clip case: ${SORA} is absent`);

describe('the wasm reader with the worker’s settings', () => {
  it.skipIf(!existsSync(SORA))(
    'trusts a real Sora clip under the bundled lists (time-stamp authority, interim-list signer), asking no OCSP responder',
    async () => {
      const trust = await nodeTrustSet();
      const store = await read('video/mp4', new Uint8Array(readFileSync(SORA)), settingsJson(trust.sources));
      // Its signing certificate has expired since: only a trusted time-stamp keeps it valid, and only the interim
      // list's allowed certificates vouch for its signer.
      expect(codes(store, 'failure')).toEqual([]);
      expect(codes(store, 'success')).toEqual(
        expect.arrayContaining(['timeStamp.trusted', 'signingCredential.trusted']),
      );
      expect(store.validation_state).toBe('Trusted');
      // Its certificate names an OCSP responder: with the fetch on, c2pa-rs asks it and, where nothing can be
      // reached, reports it inaccessible.
      const all = [...codes(store, 'success'), ...codes(store, 'informational'), ...codes(store, 'failure')];
      expect(
        all.filter((c) => c.startsWith('signingCredential.ocsp.') && c !== 'signingCredential.ocsp.skipped'),
      ).toEqual([]);
    },
    60_000,
  );
});
