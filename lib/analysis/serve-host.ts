import { hostMessenger } from '../messaging/protocol';
import { isOwnExtensionPage, requireSender, type SenderLike } from '../messaging/sender-check';
import type { AnalysisHost } from './analysis-host';

/** Host messages come from the extension's background only, never from a content script. */
function fromExtension(sender: SenderLike, message: string): void {
  requireSender(isOwnExtensionPage(sender, { id: chrome.runtime.id, origin: chrome.runtime.getURL('/') }), message);
}

/** Answers the background's host messages from this document. */
export function serveAnalysisHost(host: AnalysisHost): void {
  hostMessenger.onMessage('hostPing', ({ sender }) => {
    fromExtension(sender, 'hostPing');
    return 'ready' as const;
  });
  hostMessenger.onMessage('hostAnalyseImage', ({ data, sender }) => {
    fromExtension(sender, 'hostAnalyseImage');
    return host.analyseImage(data);
  });
  hostMessenger.onMessage('hostAnalyseRemote', ({ data, sender }) => {
    fromExtension(sender, 'hostAnalyseRemote');
    return host.analyseRemote(data);
  });
  hostMessenger.onMessage('hostForget', ({ data, sender }) => {
    fromExtension(sender, 'hostForget');
    host.forget(data.videoId);
  });
  hostMessenger.onMessage('hostReadWatermark', ({ data, sender }) => {
    fromExtension(sender, 'hostReadWatermark');
    return host.readWatermark(data);
  });
  hostMessenger.onMessage('hostReadStreamProvenance', ({ data, sender }) => {
    fromExtension(sender, 'hostReadStreamProvenance');
    return host.readStreamProvenance(data);
  });
  hostMessenger.onMessage('hostReadProvenanceClaims', ({ data, sender }) => {
    fromExtension(sender, 'hostReadProvenanceClaims');
    return host.readProvenanceClaims(data.videoId, data.src, data.trust, data.maxBytes, data.source);
  });
  hostMessenger.onMessage('hostReadProvenance', ({ data, sender }) => {
    fromExtension(sender, 'hostReadProvenance');
    return host.readProvenance(data.videoId, data.src, data.trust, data.maxBytes, data.source);
  });
  void host.warm();
}
