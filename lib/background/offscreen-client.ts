import {
  HOST_CALL_NAMES,
  HOST_CALLS,
  HOST_EVENT_NAMES,
  type HostAnswer,
  type HostCall,
  type HostEvent,
  type HostEventHandlers,
  type HostMessage,
  type HostRequest,
  hostEventMessage,
  hostEventMessenger,
  hostMessage,
  hostMessenger,
} from '../messaging/protocol';
import { isOwnExtensionPage, requireSender, type SenderLike } from '../messaging/sender-check';
import type { AnalysisClient } from './analysis-client';

const OFFSCREEN_PATH = 'offscreen.html';

/** The document's start, shared by every caller until it has answered a ping. */
let ready: Promise<void> | null = null;
async function hasOffscreenDocument(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [chrome.runtime.getURL(OFFSCREEN_PATH)],
  });
  return contexts.length > 0;
}

async function waitUntilReady(): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      if ((await hostMessenger.sendMessage('hostPing', null)) === 'ready') return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the analysis host did not start: ${String(lastError)}`);
}

/**
 * Creates the offscreen document once and waits until it answers. Callers
 * that arrive while it starts wait for the same start: a message sent to a
 * document that exists but has not registered its listeners yet is lost.
 */
export async function ensureOffscreenDocument(): Promise<void> {
  if (ready) {
    try {
      await ready;
      if (await hasOffscreenDocument()) return;
    } catch {
      // Fall through and start again.
    }
    ready = null;
  }
  ready ??= (async () => {
    if (!(await hasOffscreenDocument())) {
      await chrome.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.BLOBS],
        justification: 'Runs the on-device models (WebAssembly) on sampled video frames.',
      });
    }
    await waitUntilReady();
  })();
  await ready;
}

/**
 * One host call carried as a runtime message to the offscreen document, started first; a call that may `skip`
 * (releasing what a host keeps) sends nothing while no document exists.
 */
function sendCall<K extends HostCall>(call: K): AnalysisClient[K] {
  const message: HostMessage<HostCall> = hostMessage(call);
  const send = async (req: HostRequest<K>): Promise<HostAnswer<K> | undefined> => {
    if (HOST_CALLS[call] === 'skip') {
      if (!(await hasOffscreenDocument())) return undefined;
    } else {
      await ensureOffscreenDocument();
    }
    // The message for `call` carries `HostCalls[call]`'s request and answer (HostProtocol's mapping).
    return (await hostMessenger.sendMessage(message, req)) as HostAnswer<K>;
  };
  return send as AnalysisClient[K];
}

/**
 * Host events come from the offscreen document only: not from a content script (any page could make ours send
 * one), nor from another extension page.
 */
export function isOffscreenDocument(sender: SenderLike, self: { id: string; origin: string }): boolean {
  return (
    isOwnExtensionPage(sender, self) && sender.tab === undefined && sender.url === `${self.origin}${OFFSCREEN_PATH}`
  );
}

/** Hands one host event's messages to the background's handler, once its sender is checked. */
function receiveEvent<K extends HostEvent>(handlers: HostEventHandlers, event: K): void {
  const message = hostEventMessage<HostEvent>(event);
  hostEventMessenger.onMessage(message, ({ data, sender }) => {
    const self = { id: chrome.runtime.id, origin: chrome.runtime.getURL('/') };
    requireSender(isOffscreenDocument(sender, self), message);
    // The message for `event` carries `HostEvents[event]`'s data (HostEventProtocol's mapping).
    return handlers[event](data as never);
  });
}

/** Chrome: the analysis host lives in the offscreen document and is reached by runtime messaging. */
export const offscreenClient: AnalysisClient = {
  ...(Object.fromEntries(HOST_CALL_NAMES.map((call) => [call, sendCall(call)])) as Omit<
    AnalysisClient,
    'prepare' | 'listen'
  >),
  prepare: ensureOffscreenDocument,
  listen(handlers) {
    for (const event of HOST_EVENT_NAMES) receiveEvent(handlers, event);
  },
};
