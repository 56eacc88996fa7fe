import { describe, expect, it, vi } from 'vitest';
import type { AnalysisClient } from '../../lib/background/analysis-client';
import { CaptureThrottle } from '../../lib/background/capture-throttle';
import { createFrameService, type Origin } from '../../lib/background/frame-service';
import { ResultsStore, summarise } from '../../lib/background/results-store';
import type { ProvenanceSignal } from '../../lib/core/signals';
import type { HostFrameResult, VideoAnnouncement } from '../../lib/messaging/protocol';
import { memoryArea } from './memory-session-area';

const ANALYSED: Extract<HostFrameResult, { status: 'analysed' }> = {
  status: 'analysed',
  stats: { meanLuma: 0.5, lumaStd: 0.2, edgeEnergy: 0.05, darkFraction: 0 },
  blank: false,
  aiLogit: null,
  thumbnail: 'data:image/jpeg;base64,AAAA',
  timings: { preprocess: 2, inference: 1, classify: 0 },
  bytes: 1000,
};

const ABSENT: ProvenanceSignal = {
  kind: 'provenance',
  state: 'absent',
  declaresAi: false,
  captureDevice: false,
  digitalSourceTypes: [],
};
/** Sora's credentials as the bundled lists verify them (legacy list): an AI declaration that makes `ai`. */
const SORA: ProvenanceSignal = {
  kind: 'provenance',
  state: 'valid',
  trust: 'legacy',
  declaresAi: true,
  captureDevice: false,
  digitalSourceTypes: ['trainedAlgorithmicMedia'],
  generator: 'OpenAI Sora',
  source: 'file',
};

function client(overrides: Partial<AnalysisClient> = {}): AnalysisClient {
  return {
    analyseImage: vi.fn(async () => ANALYSED),
    analyseRemote: vi.fn(async () => ANALYSED),
    readProvenanceClaims: vi.fn(async () => null),
    readProvenance: vi.fn(async () => ABSENT),
    readStreamProvenance: vi.fn(async () => ABSENT),
    listen: vi.fn(),
    hashVerifiedFrames: vi.fn(async () => null),
    forget: vi.fn(async () => undefined),
    prepare: vi.fn(async () => undefined),
    ...overrides,
  };
}

/** A distinct frame hash per media time (16 hex digits): the file's and the page's frames of one moment. */
const HASH_AT = (t: number) =>
  (0x1111_2222_3333_4444n * BigInt(Math.round(t * 10) + 1)).toString(16).slice(-16).padStart(16, '0');
/** The same hash with `bits` of its low bits flipped. */
const flipped = (hash: string, bits: number) =>
  (BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, '0');

/** What a badge says of credentials read from a file not (yet) shown to be what plays. */
const UNCONFIRMED = { reasons: expect.arrayContaining([expect.stringMatching(/not confirmed to be what plays/)]) };

/**
 * Sends frames at `times`, each hashed by the host as `hashOf` says (the picture at that moment): crops of
 * screenshots (what the user saw), or with `seen: false` canvas frames (what the element decoded, which page
 * script can cover).
 */
async function shownFrames(
  c: AnalysisClient,
  service: ReturnType<typeof createFrameService>,
  times: number[],
  { seen = true, hashOf = HASH_AT }: { seen?: boolean; hashOf?: (t: number) => string } = {},
) {
  for (const t of times) {
    vi.mocked(c.analyseImage).mockResolvedValueOnce({ ...ANALYSED, frameHash: hashOf(t) });
    if (!seen) await service.analyseFrame(TOP, { ...canvasFrame, mediaTime: t });
    else
      await service.captureTabFrame(TOP, {
        videoId: 'v1',
        mediaTime: t,
        rect: { x: 0, y: 0, width: 640, height: 360 },
        viewport: { width: 1280, height: 720 },
        priority: 'visible',
        sentAt: 0,
        sincePlaying: 10,
      });
  }
}

const TOP: Origin = { tabId: 7, frameId: 0, windowId: 1, frameUrl: 'https://example.test/' };
const video = (over: Partial<VideoAnnouncement> = {}): VideoAnnouncement => ({
  id: 'v1',
  src: 'https://example.test/clip.mp4',
  loaded: true,
  pageUrl: 'https://example.test/',
  width: 640,
  height: 360,
  ...over,
});
const canvasFrame = {
  videoId: 'v1',
  mediaTime: 1,
  jpeg: 'data:image/jpeg;base64,AAAA',
  priority: 'visible' as const,
  sentAt: 0,
  sincePlaying: 10,
  timings: { capture: 1, mainThread: 1.5, encode: 3 },
};

function setup(c: AnalysisClient, extra: Partial<Parameters<typeof createFrameService>[0]> = {}) {
  const store = new ResultsStore(memoryArea());
  const notify = vi.fn(async () => undefined);
  const service = createFrameService({
    store,
    client: c,
    captureVisibleTab: async () => 'data:image/jpeg;base64,SHOT',
    isTabActive: async () => true,
    provenanceSettings: async () => ({
      trust: { lists: { official: true, legacy: true }, userAnchors: '' },
      maxBytes: 1e8,
    }),
    notify,
    clock: () => 100,
    ...extra,
  });
  return { store, service, notify };
}

describe('frame service', () => {
  it('drops frames of videos it does not know', async () => {
    const { service } = setup(client());
    expect(await service.analyseFrame(TOP, canvasFrame)).toEqual({ status: 'dropped', reason: 'unknown-video' });
  });

  it('records a canvas frame with its path and per-stage timings', async () => {
    const c = client();
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video());
    const outcome = await service.analyseFrame(TOP, canvasFrame);
    expect(outcome).toMatchObject({
      status: 'analysed',
      blank: false,
      verdict: { level: 'uncertain', framePath: 'canvas', framesAnalysed: 1 },
    });
    const report = (await store.read(7)).videos[0]!;
    expect(report.frames[0]).toMatchObject({
      framePath: 'canvas',
      timings: { capture: 1, mainThread: 1.5, encode: 3, preprocess: 2, inference: 1 },
    });
    expect(vi.mocked(c.analyseImage).mock.calls[0]![0]).toMatchObject({ crop: null, wantThumbnail: true });
  });

  it('passes host failures back to the page as failures', async () => {
    const { service } = setup(
      client({ analyseImage: vi.fn(async () => ({ status: 'failed' as const, error: 'boom' })) }),
    );
    await service.videoSeen(TOP, video());
    expect(await service.analyseFrame(TOP, canvasFrame)).toEqual({ status: 'failed', error: 'boom' });
  });

  it('takes screenshots only for the top frame of the tab in front, and crops them', async () => {
    const c = client();
    let active = false;
    const { service } = setup(c, { isTabActive: async () => active });
    await service.videoSeen(TOP, video());
    const req = {
      videoId: 'v1',
      mediaTime: 1,
      rect: { x: 10, y: 20, width: 300, height: 200 },
      viewport: { width: 1280, height: 800 },
      priority: 'visible' as const,
      sentAt: 0,
      sincePlaying: 0,
    };
    expect(await service.captureTabFrame({ ...TOP, frameId: 3 }, req)).toMatchObject({ status: 'failed' });
    expect(await service.captureTabFrame(TOP, req)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/not in front/),
    });
    active = true;
    const ok = await service.captureTabFrame(TOP, req);
    expect(ok).toMatchObject({ status: 'analysed', verdict: { framePath: 'tab-capture' } });
    expect(vi.mocked(c.analyseImage).mock.calls.at(-1)![0]).toMatchObject({
      image: 'data:image/jpeg;base64,SHOT',
      crop: { rect: req.rect, viewport: req.viewport },
    });
  });

  it('says "rate-limited" when screenshots would exceed the browser quota', async () => {
    const throttle = new CaptureThrottle(
      () => 0,
      async () => undefined,
    );
    const { service } = setup(client(), { throttle });
    await service.videoSeen(TOP, video());
    const req = {
      videoId: 'v1',
      mediaTime: 1,
      rect: { x: 0, y: 0, width: 100, height: 100 },
      viewport: { width: 800, height: 600 },
      priority: 'visible' as const,
      sentAt: 0,
      sincePlaying: 0,
    };
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await service.captureTabFrame(TOP, req));
    expect(outcomes.filter((o) => o.status === 'dropped' && o.reason === 'rate-limited').length).toBeGreaterThan(0);
  });

  it('reads fetched files as "offscreen-fetch"', async () => {
    const { service } = setup(client());
    await service.videoSeen(TOP, video());
    const outcome = await service.fetchVideoFrame(TOP, {
      videoId: 'v1',
      src: video().src,
      mediaTime: 2,
      priority: 'background',
      sentAt: 0,
      sincePlaying: 0,
    });
    expect(outcome).toMatchObject({ status: 'analysed', verdict: { framePath: 'offscreen-fetch' } });
  });

  it('reads a file’s credentials when the video is seen, retrying a host that was not ready, and tells the page', async () => {
    let calls = 0;
    const c = client({
      readProvenance: vi.fn(async () => {
        calls++;
        if (calls === 1) throw new Error('Receiving end does not exist');
        return { ...SORA, hashVerified: true };
      }),
      hashVerifiedFrames: vi.fn(async (req: { shown: Array<{ mediaTime: number }> }) => ({
        frames: req.shown.map(({ mediaTime }) => ({ mediaTime, hashes: [HASH_AT(mediaTime)] })),
        ms: 5,
      })),
    });
    const { service, store, notify } = setup(c);
    await service.videoSeen(TOP, video());
    // Read, but not yet shown to be the file that plays: said as a file's credentials, deciding nothing.
    await vi.waitFor(async () => expect(notify).toHaveBeenCalledWith(TOP, 'v1', expect.objectContaining(UNCONFIRMED)), {
      timeout: 3000,
    });
    expect(calls).toBe(2);
    expect((await store.read(7)).videos[0]!.verdict).not.toBe('ai');
    // Two frames the page rendered, on top, match the verified file's frames at their media times.
    await shownFrames(c, service, [1, 2]);
    await vi.waitFor(async () => expect((await store.read(7)).videos[0]!.verdict).toBe('ai'));
    expect(notify).toHaveBeenCalledWith(TOP, 'v1', expect.objectContaining({ level: 'ai' }));
  });

  it('shows a manifest’s claims first, then the whole-file reading in their place', async () => {
    let finish: (s: ProvenanceSignal) => void = () => undefined;
    const c = client({
      readProvenanceClaims: vi.fn(async () => ({ signal: { ...SORA, hashVerified: false }, final: false })),
      readProvenance: vi.fn(() => new Promise<ProvenanceSignal>((r) => (finish = r))),
    });
    const { service, store, notify } = setup(c);
    await service.videoSeen(TOP, video());
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith(TOP, 'v1', expect.objectContaining(UNCONFIRMED)));
    const provenanceOf = async () => (await store.read(7)).videos[0]!.signals.filter((s) => s.kind === 'provenance');
    expect(await provenanceOf()).toEqual([expect.objectContaining({ hashVerified: false })]);
    finish({ ...SORA, hashVerified: true });
    await vi.waitFor(async () =>
      expect(await provenanceOf()).toEqual([expect.objectContaining({ hashVerified: true })]),
    );
  });

  it('stops at final claims, and keeps the claims when the whole-file download fails', async () => {
    const over = {
      ...SORA,
      hashVerified: false,
      detail: 'hash not verified: file too large (612 MB over the 100 MB limit)',
    };
    const full = vi.fn(async () => SORA);
    const c = client({
      readProvenanceClaims: vi.fn(async () => ({ signal: over, final: true })),
      readProvenance: full,
    });
    const { service, store, notify } = setup(c);
    await service.videoSeen(TOP, video());
    // Over the cap, no verified bytes are kept to compare with what plays: the declaration stays the file's.
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith(TOP, 'v1', expect.objectContaining(UNCONFIRMED)));
    await shownFrames(c, service, [1, 2]);
    expect((await store.read(7)).videos[0]!.verdict).not.toBe('ai');
    expect(c.hashVerifiedFrames).not.toHaveBeenCalled();
    expect(full).not.toHaveBeenCalled();

    const failing = client({
      readProvenanceClaims: vi.fn(async () => ({ signal: { ...SORA, hashVerified: false }, final: false })),
      readProvenance: vi.fn(async () => ({
        ...ABSENT,
        state: 'error' as const,
        detail: 'the file could not be fetched (HTTP 500)',
      })),
    });
    const second = setup(failing);
    await second.service.videoSeen(TOP, video());
    await vi.waitFor(async () =>
      expect((await second.store.read(7)).videos[0]!.signals).toContainEqual(
        expect.objectContaining({
          declaresAi: true,
          detail: 'hash not verified: the file could not be fetched (HTTP 500)',
        }),
      ),
    );
  });

  it('never lands an old file’s credentials on a video that changed source', async () => {
    const pending: Array<(s: ProvenanceSignal) => void> = [];
    const c = client({ readProvenance: vi.fn(() => new Promise<ProvenanceSignal>((r) => pending.push(r))) });
    const { service, store, notify } = setup(c);
    await service.videoSeen(TOP, video());
    await service.videoSeen(TOP, video({ src: 'https://example.test/other.mp4' }));
    await vi.waitFor(() => expect(pending.length).toBe(2));
    // The first file's reading (AI) finishes after the switch; the new file's says nothing.
    pending[0]!(SORA);
    pending[1]!(ABSENT);
    await new Promise((r) => setTimeout(r, 20));
    const report = (await store.read(7)).videos[0]!;
    expect(report.src).toBe('https://example.test/other.mp4');
    expect(report.signals.some((s) => s.kind === 'provenance' && s.declaresAi)).toBe(false);
    expect(notify).not.toHaveBeenCalledWith(TOP, 'v1', expect.objectContaining({ level: 'ai' }));
  });

  it('reads a poster image’s credentials as a separate reading and ignores a poster without any', async () => {
    const c = client({
      readProvenance: vi.fn(async (req) => (req.source === 'image' ? { ...SORA, source: 'image' as const } : ABSENT)),
    });
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video({ poster: 'https://example.test/poster.jpg' }));
    await service.analyseFrame(TOP, canvasFrame);
    await vi.waitFor(async () => {
      const report = (await store.read(7)).videos[0]!;
      expect(report.signals.filter((s) => s.kind === 'provenance')).toHaveLength(2);
      expect(report.verdict).toBe('ai');
    });
  });
});

describe('what the frame service lets the host fetch for a page', () => {
  it('fetches nothing the element never loaded, and a poster only when the page loaded it', async () => {
    const c = client();
    const { service } = setup(c);
    // The page names a file its video never loaded: no request for it.
    await service.videoSeen(TOP, video({ loaded: false, poster: undefined }));
    await new Promise((r) => setTimeout(r, 10));
    expect(c.readProvenanceClaims).not.toHaveBeenCalled();
    // Once loaded it is read, and the poster the page loaded with it.
    await service.videoSeen(TOP, video({ loaded: true, poster: 'https://example.test/poster.jpg' }));
    await vi.waitFor(() => expect(c.readProvenanceClaims).toHaveBeenCalledTimes(2));
  });

  it('never reaches into the user’s network from a public page, but may from a page served there', async () => {
    const c = client();
    const { service } = setup(c);
    for (const src of ['http://192.168.1.1/admin.mp4', 'http://127.0.0.1:8080/x.mp4', 'http://[::1]/x.mp4']) {
      await service.videoSeen(TOP, video({ id: src, src }));
      expect(await service.fetchVideoFrame(TOP, { ...remoteReq, videoId: src, src })).toMatchObject({
        status: 'failed',
      });
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(c.readProvenanceClaims).not.toHaveBeenCalled();
    expect(c.analyseRemote).not.toHaveBeenCalled();
    const local: Origin = { ...TOP, tabId: 8, frameUrl: 'http://127.0.0.1:3000/page.html' };
    await service.videoSeen(local, video({ src: 'http://127.0.0.1:3000/x.mp4' }));
    await vi.waitFor(() => expect(c.readProvenanceClaims).toHaveBeenCalledTimes(1));
  });

  it('keeps a data: source as its type and hash, and fetches nothing for it', async () => {
    const c = client();
    const { service, store } = setup(c);
    const huge = `data:video/mp4;base64,${'A'.repeat(2_000_000)}`;
    await service.videoSeen(TOP, video({ src: huge, pageUrl: `https://example.test/#${'x'.repeat(100_000)}` }));
    const report = (await store.read(7)).videos[0]!;
    expect(report.src).toMatch(/^data:video\/mp4;sha256=[0-9a-f]{64}$/);
    expect(report.pageUrl.length).toBeLessThanOrEqual(2048);
    expect(c.readProvenanceClaims).not.toHaveBeenCalled();
  });

  it('cancels the host’s work for every video of a tab that closes', async () => {
    const c = client();
    const { service } = setup(c);
    await service.videoSeen(TOP, video({ id: 'a' }));
    await service.videoSeen(TOP, video({ id: 'b' }));
    await service.removeTab(7);
    await vi.waitFor(() =>
      expect(
        vi
          .mocked(c.forget)
          .mock.calls.map((call) => call[0].videoId)
          .sort(),
      ).toEqual(['a', 'b']),
    );
  });
});

const remoteReq = { videoId: 'v1', src: '', mediaTime: 1, priority: 'visible' as const, sentAt: 0, sincePlaying: 0 };

describe('stream segments', () => {
  const STREAM: ProvenanceSignal = { ...SORA, source: 'stream', hashVerified: false, segmentsChecked: 1 };
  const segment = (index: number) => ({
    kind: 'segment' as const,
    id: 'v1',
    mimeType: 'video/mp4',
    init: 'data:video/mp4;base64,AAAA',
    fragment: `data:video/mp4;base64,${index}`,
    index,
    skipped: 0,
  });

  it('folds each segment’s reading in the order of the segments, even when a later one is read first', async () => {
    const pending: Array<(s: ProvenanceSignal) => void> = [];
    const c = client({
      readStreamProvenance: vi.fn(() => new Promise<ProvenanceSignal>((resolve) => pending.push(resolve))),
    });
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video({ src: 'blob:https://example.test/1' }));
    const first = service.streamSegments(TOP, segment(1));
    const second = service.streamSegments(TOP, segment(2));
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    pending[0]!(STREAM);
    await first;
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    pending[1]!({ ...STREAM, state: 'invalid', failureCodes: ['assertion.bmffHash.mismatch'] });
    await second;
    const p = (await store.read(TOP.tabId)).videos[0]!.signals.find((s) => s.kind === 'provenance');
    expect(p).toMatchObject({ state: 'invalid', segmentsChecked: 2, generator: 'OpenAI Sora' });
    // Once invalid, later segments are not read again.
    await service.streamSegments(TOP, segment(3));
    expect(c.readStreamProvenance).toHaveBeenCalledTimes(2);
  });

  it('withdraws a stream’s credentials when its init segment changes', async () => {
    const c = client({ readStreamProvenance: vi.fn(async () => STREAM) });
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video({ src: 'blob:https://example.test/1' }));
    await service.streamSegments(TOP, segment(1));
    await service.streamSegments(TOP, { kind: 'init-changed', id: 'v1', index: 1 });
    const v = (await store.read(TOP.tabId)).videos[0]!;
    expect(v.signals.find((s) => s.kind === 'provenance')).toMatchObject({ state: 'error' });
    expect(v.verdict).not.toBe('ai');
  });
});

/** A camera signature from a signer the user trusts, its hash checked over the whole file. */
const CAMERA: ProvenanceSignal = {
  kind: 'provenance',
  state: 'valid',
  trust: 'user',
  declaresAi: false,
  captureDevice: true,
  digitalSourceTypes: ['digitalCapture'],
  signer: 'Leica Camera AG',
  source: 'file',
  hashVerified: true,
};

describe('frame service: verified means what the user sees', () => {
  /** A host that verified `signal` and decodes the verified file's frames as `fileHash` says. */
  function verifying(signal: ProvenanceSignal, fileHash: (t: number) => string) {
    return client({
      readProvenance: vi.fn(async () => signal),
      hashVerifiedFrames: vi.fn(async (req: { shown: Array<{ mediaTime: number }> }) => ({
        frames: req.shown.map(({ mediaTime }) => ({ mediaTime, hashes: [fileHash(mediaTime)] })),
        ms: 5,
      })),
    });
  }
  const provenanceOf = async (store: ResultsStore) =>
    (await store.read(7)).videos[0]!.signals.find((s): s is ProvenanceSignal => s.kind === 'provenance');

  it('makes a verified capture only once two frames the page rendered match the verified file at their times', async () => {
    // Each frame of the page a few bits off the file's: another rendering of the same pictures.
    const c = verifying(CAMERA, (t) => flipped(HASH_AT(t), 5));
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video());
    await vi.waitFor(async () => expect((await provenanceOf(store))?.shown).toBe('unconfirmed'));
    await shownFrames(c, service, [1]);
    await vi.waitFor(() => expect(c.hashVerifiedFrames).toHaveBeenCalledTimes(1));
    // One frame is not enough.
    expect((await store.read(7)).videos[0]!.verdict).not.toBe('verified-capture');
    await shownFrames(c, service, [2]);
    await vi.waitFor(async () => expect((await store.read(7)).videos[0]!.verdict).toBe('verified-capture'));
    expect(await provenanceOf(store)).toMatchObject({ shown: 'matched' });
    // The host decoded the file at the page's media times, for the very check whose bytes it verified.
    // The page's frames go along, so that the host can stop decoding around a moment once a frame matches.
    expect(vi.mocked(c.hashVerifiedFrames).mock.calls.flatMap(([r]) => r.shown)).toEqual([
      { mediaTime: 1, hash: HASH_AT(1) },
      { mediaTime: 2, hash: HASH_AT(2) },
    ]);
    expect(vi.mocked(c.hashVerifiedFrames).mock.calls[0]![0]).toMatchObject({
      videoId: 'v1',
      src: 'https://example.test/clip.mp4',
      source: 'file',
      maxBytes: 1e8,
    });
  });

  it('a lying server: frames that play differ from the signed file’s, so its capture is only the file’s claim', async () => {
    // The page plays other pictures than the file the extension verified (about half the bits differ).
    const c = verifying(CAMERA, (t) => flipped(HASH_AT(t), 33));
    const { service, store, notify } = setup(c);
    await service.videoSeen(TOP, video());
    await shownFrames(c, service, [1, 2, 3]);
    await vi.waitFor(async () => expect((await provenanceOf(store))?.shown).toBe('differs'));
    const r = (await store.read(7)).videos[0]!;
    expect(r.verdict).not.toBe('verified-capture');
    expect(r.reasons.join(' ')).toMatch(/a file at this address, whose frames differ from what plays, claim a camera/);
    expect(notify).not.toHaveBeenCalledWith(TOP, 'v1', expect.objectContaining({ level: 'verified-capture' }));
  });

  it('a lying server: a forged AI declaration on another file makes no AI verdict', async () => {
    const c = verifying({ ...SORA, hashVerified: true }, (t) => flipped(HASH_AT(t), 30));
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video());
    await shownFrames(c, service, [1, 2]);
    await vi.waitFor(async () => expect((await provenanceOf(store))?.shown).toBe('differs'));
    const r = (await store.read(7)).videos[0]!;
    expect(r.verdict).toBe('uncertain');
    expect(r.reasons.join(' ')).toMatch(/whose frames differ from what plays, declare it AI-generated/);
  });

  it('never confirms from frames the user may not have seen: canvas frames (page script can cover the video), or frames decoded from its own download', async () => {
    const c = verifying(CAMERA, HASH_AT);
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video());
    await shownFrames(c, service, [1, 2, 3], { seen: false });
    vi.mocked(c.analyseRemote).mockResolvedValue({ ...ANALYSED, frameHash: HASH_AT(4) });
    for (const mediaTime of [4, 5])
      await service.fetchVideoFrame(TOP, { ...canvasFrame, src: 'https://example.test/clip.mp4', mediaTime });
    await vi.waitFor(async () => expect((await store.read(7)).videos[0]!.framesAnalysed).toBe(5));
    expect(c.hashVerifiedFrames).not.toHaveBeenCalled();
    expect((await provenanceOf(store))?.shown).toBe('unconfirmed');
    expect((await store.read(7)).videos[0]!.verdict).not.toBe('verified-capture');
  });

  it('asks the page for screenshot crops while decisive credentials wait for frames the user sees, and then no more', async () => {
    const c = verifying(CAMERA, HASH_AT);
    const { service, notify } = setup(c);
    await service.videoSeen(TOP, video());
    await vi.waitFor(() =>
      expect(notify).toHaveBeenCalledWith(TOP, 'v1', expect.objectContaining({ seeWanted: true })),
    );
    await shownFrames(c, service, [1]);
    const last = await service.analyseFrame(TOP, { ...canvasFrame, mediaTime: 1.5 });
    expect(last).toMatchObject({ verdict: { seeWanted: true } });
    await shownFrames(c, service, [2]);
    await vi.waitFor(() =>
      expect(notify).toHaveBeenLastCalledWith(TOP, 'v1', expect.objectContaining({ level: 'verified-capture' })),
    );
    expect(notify).toHaveBeenLastCalledWith(TOP, 'v1', expect.not.objectContaining({ seeWanted: true }));
  });

  it('stays unconfirmed when the host no longer keeps the verified bytes, and asks no more', async () => {
    const c = client({ readProvenance: vi.fn(async () => CAMERA), hashVerifiedFrames: vi.fn(async () => null) });
    const { service, store } = setup(c);
    await service.videoSeen(TOP, video());
    await shownFrames(c, service, [1, 2, 3]);
    await vi.waitFor(() => expect(c.hashVerifiedFrames).toHaveBeenCalled());
    const asked = vi.mocked(c.hashVerifiedFrames).mock.calls.length;
    await shownFrames(c, service, [4]);
    expect(vi.mocked(c.hashVerifiedFrames).mock.calls.length).toBe(asked);
    expect((await provenanceOf(store))?.shown).toBe('unconfirmed');
    expect((await store.read(7)).videos[0]!.verdict).not.toBe('verified-capture');
  });
});

describe('results store: a remembered judgement and what plays now', () => {
  const from = { judgedAt: 1, matchedAt: 1, restoredAt: 2, restoredMs: 3 };
  const judgement = (store: ResultsStore) => ({
    signals: [{ ...CAMERA, shown: 'matched' as const, fileFrames: [{ mediaTime: 1, hashes: [HASH_AT(1)] }] }],
    frames: [1, 2].map((mediaTime) => ({
      mediaTime,
      framePath: 'tab-capture' as const,
      blank: false,
      aiLogit: null,
      timings: { capture: 0, mainThread: 0, encode: 0, transfer: 0, preprocess: 0, inference: 0, classify: 0 },
      transferBytes: 0,
      analysedAt: 0,
      faces: null,
      hash: HASH_AT(mediaTime),
      shown: true,
    })),
    framesAnalysed: 2,
    blankFrames: 0,
    thumbnail: null,
    frameModel: store.frameModel(),
  });

  it('keeps a file’s match with what played only when a frame the user sees now restored it', async () => {
    const store = new ResultsStore(memoryArea());
    await store.videoSeen(7, 0, video());
    const canvas = await store.restore(7, 'v1', judgement(store), from, video().src, false);
    // Restored by a canvas frame (page script may cover the video): the match is not carried over.
    expect(canvas!.verdict).not.toBe('verified-capture');
    expect(canvas!.signals).toContainEqual(expect.objectContaining({ kind: 'provenance', shown: 'unconfirmed' }));
    expect(canvas!.frames.every((f) => f.shown === false)).toBe(true);
    // And the page is asked for screenshots of it.
    expect(summarise(canvas!)).toMatchObject({ seeWanted: true });

    const other = new ResultsStore(memoryArea());
    await other.videoSeen(7, 0, video());
    const seen = await other.restore(7, 'v1', judgement(other), from, video().src, true);
    expect(seen!.verdict).toBe('verified-capture');
  });
});
