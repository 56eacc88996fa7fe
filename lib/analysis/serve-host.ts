import {
  HOST_CALL_NAMES,
  type HostCall,
  type HostEvent,
  type HostEventSink,
  type HostHandlers,
  hostEventMessage,
  hostEventMessenger,
  hostMessage,
  hostMessenger,
} from '../messaging/protocol';
import { isOwnExtensionPage, requireSender, type SenderLike } from '../messaging/sender-check';

/** Host messages come from the extension's background only, never from a content script. */
function fromExtension(sender: SenderLike, message: string): void {
  requireSender(isOwnExtensionPage(sender, { id: chrome.runtime.id, origin: chrome.runtime.getURL('/') }), message);
}

/** Answers one host call's message with the host's method of the same name, once its sender is checked. */
function serveCall<K extends HostCall>(host: HostHandlers, call: K): void {
  const message = hostMessage<HostCall>(call);
  hostMessenger.onMessage(message, ({ data, sender }) => {
    fromExtension(sender, message);
    // The message for `call` carries `HostCalls[call]`'s request (HostProtocol's mapping).
    return host[call](data);
  });
}

/** Answers the background's host messages from this document (with the analysis host, `AnalysisHost`). */
export function serveAnalysisHost(host: HostHandlers & { warm(): Promise<void> }): void {
  hostMessenger.onMessage('hostPing', ({ sender }) => {
    fromExtension(sender, 'hostPing');
    return 'ready' as const;
  });
  for (const call of HOST_CALL_NAMES) serveCall(host, call);
  void host.warm();
}

/**
 * Carries one host event from this document to the background. An event the background cannot take now (it is
 * starting again) is lost: the background's view of the host catches up with the next answer or event.
 */
export const sendHostEvent: HostEventSink = (event, data) => {
  // The message for `event` carries `HostEvents[event]`'s data (HostEventProtocol's mapping).
  hostEventMessenger
    .sendMessage(hostEventMessage<HostEvent>(event), data as never)
    .catch((error: unknown) => console.warn(`[provenance-lens] host event ${event} not delivered`, error));
};
