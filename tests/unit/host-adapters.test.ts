import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type * as Protocol from '../../lib/messaging/protocol';
import {
  HOST_CALL_NAMES,
  type HostCall,
  type HostEventSink,
  type HostHandlers,
  type WatermarkReading,
} from '../../lib/messaging/protocol';
import { RefusedSenderError, type SenderLike } from '../../lib/messaging/sender-check';

type Listener = (message: { data: unknown; sender: SenderLike }) => unknown;

/** What serve-host registered on the host messenger, by message name. */
const listeners = new Map<string, Listener>();
/** What the background registered for the host's events, by message name. */
const eventListeners = new Map<string, Listener>();
/** Host events the offscreen document sent: message name and data. */
const sentEvents: Array<[string, unknown]> = [];

vi.mock('../../lib/messaging/protocol', async (importOriginal) => {
  const actual = await importOriginal<typeof Protocol>();
  return {
    ...actual,
    hostMessenger: {
      onMessage: (type: string, listener: Listener) => {
        listeners.set(type, listener);
        return () => listeners.delete(type);
      },
    },
    hostEventMessenger: {
      onMessage: (type: string, listener: Listener) => {
        eventListeners.set(type, listener);
        return () => eventListeners.delete(type);
      },
      sendMessage: async (type: string, data: unknown) => {
        sentEvents.push([type, data]);
      },
    },
  };
});

/** The host the in-process client starts, counted so a test can tell whether one was started, with its events. */
const started: FakeHost[] = [];
const emitters: HostEventSink[] = [];
vi.mock('../../lib/analysis/browser-host', () => ({
  createBrowserAnalysisHost: (emit: HostEventSink) => {
    const host = fakeHost();
    started.push(host);
    emitters.push(emit);
    return host;
  },
}));

type FakeHost = { [K in HostCall]: Mock<HostHandlers[K]> } & { warm: Mock<() => Promise<void>> };

/** A host whose every call answers with its own name, so a test can tell which method answered. */
function fakeHost(): FakeHost {
  const calls = Object.fromEntries(HOST_CALL_NAMES.map((call) => [call, vi.fn(async () => `answer of ${call}`)]));
  return { ...calls, warm: vi.fn(async () => undefined) } as unknown as FakeHost;
}

const self = { id: 'abcdefghijklmnop', origin: 'chrome-extension://abcdefghijklmnop/' };
const background: SenderLike = { id: self.id, url: `${self.origin}background.js` };
const page = 'https://evil.example/page.html';

/** Every message the offscreen document answers; the background sends exactly these names. */
const WIRE_NAMES = [
  'hostPing',
  'hostAnalyseImage',
  'hostAnalyseRemote',
  'hostForget',
  'hostReadStreamProvenance',
  'hostReadProvenanceClaims',
  'hostReadProvenance',
  'hostHashVerifiedFrames',
];

describe('the offscreen document serving the host calls', () => {
  beforeEach(async () => {
    listeners.clear();
    vi.stubGlobal('chrome', { runtime: { id: self.id, getURL: (path: string) => `${self.origin}${path.slice(1)}` } });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('answers every host call under its message name with the host’s method of the same name', async () => {
    const { serveAnalysisHost } = await import('../../lib/analysis/serve-host');
    const host = fakeHost();
    serveAnalysisHost(host);
    expect([...listeners.keys()].sort()).toEqual([...WIRE_NAMES].sort());
    expect(await listeners.get('hostPing')!({ data: null, sender: background })).toBe('ready');
    for (const call of HOST_CALL_NAMES) {
      const wire = `host${call.charAt(0).toUpperCase()}${call.slice(1)}`;
      const data = { videoId: `v-${call}` };
      expect(await listeners.get(wire)!({ data, sender: background })).toBe(`answer of ${call}`);
      expect(host[call]).toHaveBeenCalledExactlyOnceWith(data);
    }
    expect(host.warm).toHaveBeenCalled();
  });

  it('refuses every host call from a content script in a hostile page, and the host does nothing', async () => {
    const { serveAnalysisHost } = await import('../../lib/analysis/serve-host');
    const host = fakeHost();
    serveAnalysisHost(host);
    // Our own content script, running in the attacker's page, asks the host to fetch an address of its choosing.
    const attacker: SenderLike = { id: self.id, url: page, tab: { id: 3, url: page }, frameId: 0 };
    // An extension page framed inside the attacker's page.
    const framed: SenderLike = { id: self.id, url: `${self.origin}popup.html`, tab: { id: 3, url: page }, frameId: 2 };
    const data = { videoId: 'v', src: 'http://192.168.0.1/secret.mp4', trust: { lists: [] }, maxBytes: 1e9 };
    for (const wire of WIRE_NAMES) {
      for (const sender of [attacker, framed]) {
        expect(() => listeners.get(wire)!({ data, sender })).toThrow(RefusedSenderError);
      }
    }
    for (const call of HOST_CALL_NAMES) expect(host[call]).not.toHaveBeenCalled();
  });
});

describe('the in-process client (Firefox)', () => {
  it('releases nothing and starts no host before one runs, then carries every call to the host unchanged', async () => {
    const { inProcessClient } = await import('../../lib/background/in-process-client');
    await inProcessClient.forget({ videoId: 'gone' });
    expect(started).toHaveLength(0);
    for (const call of HOST_CALL_NAMES) {
      const req = { videoId: `v-${call}` } as never;
      const answer: unknown = await inProcessClient[call](req);
      expect(answer).toBe(`answer of ${call}`);
    }
    // One host for every call, each call answered by its own method with the very request it was given.
    expect(started).toHaveLength(1);
    for (const call of HOST_CALL_NAMES)
      expect(started[0]![call]).toHaveBeenCalledExactlyOnceWith({ videoId: `v-${call}` });
    await inProcessClient.prepare();
    expect(started[0]!.warm).toHaveBeenCalled();
  });
});

const reading: WatermarkReading = {
  reply: { tabId: 4, frameId: 0, videoId: 'v', src: 'https://cdn.example/clip.mp4' },
  frame: { sightings: [] },
  room: { frames: 1, done: false, version: 2 },
  ms: 800,
};

describe('the host’s events', () => {
  beforeEach(() => {
    eventListeners.clear();
    sentEvents.length = 0;
    vi.stubGlobal('chrome', { runtime: { id: self.id, getURL: (path: string) => `${self.origin}${path.slice(1)}` } });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('go out of the offscreen document under their own message names, apart from the calls’', async () => {
    const { sendHostEvent } = await import('../../lib/analysis/serve-host');
    sendHostEvent('watermarkRead', reading);
    await Promise.resolve();
    expect(sentEvents).toEqual([['hostEventWatermarkRead', reading]]);
    expect(WIRE_NAMES).not.toContain('hostEventWatermarkRead');
  });

  it('reach the background’s handler from the offscreen document only', async () => {
    const { offscreenClient } = await import('../../lib/background/offscreen-client');
    const watermarkRead = vi.fn();
    offscreenClient.listen({ watermarkRead });
    expect([...eventListeners.keys()]).toEqual(['hostEventWatermarkRead']);
    const listener = eventListeners.get('hostEventWatermarkRead')!;
    // A hostile page makes our content script announce a mark on its own video; another extension page tries too.
    const attacker: SenderLike = { id: self.id, url: page, tab: { id: 3, url: page }, frameId: 0 };
    const popup: SenderLike = { id: self.id, url: `${self.origin}popup.html` };
    const framed: SenderLike = {
      id: self.id,
      url: `${self.origin}offscreen.html`,
      tab: { id: 3, url: page },
      frameId: 2,
    };
    for (const sender of [attacker, popup, framed])
      expect(() => listener({ data: reading, sender })).toThrow(RefusedSenderError);
    expect(watermarkRead).not.toHaveBeenCalled();
    listener({ data: reading, sender: { id: self.id, url: `${self.origin}offscreen.html` } });
    expect(watermarkRead).toHaveBeenCalledExactlyOnceWith(reading);
  });

  it('go straight to the background’s handler in process (Firefox)', async () => {
    const { inProcessClient } = await import('../../lib/background/in-process-client');
    const watermarkRead = vi.fn();
    inProcessClient.listen({ watermarkRead });
    await inProcessClient.prepare();
    emitters.at(-1)!('watermarkRead', reading);
    expect(watermarkRead).toHaveBeenCalledExactlyOnceWith(reading);
  });
});
