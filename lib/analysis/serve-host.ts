import { hostMessenger } from '../messaging/protocol';
import type { AnalysisHost } from './analysis-host';

/** Answers the background's host messages from this document. */
export function serveAnalysisHost(host: AnalysisHost): void {
  hostMessenger.onMessage('hostPing', () => 'ready' as const);
  hostMessenger.onMessage('hostAnalyseImage', ({ data }) => host.analyseImage(data));
  hostMessenger.onMessage('hostAnalyseRemote', ({ data }) => host.analyseRemote(data));
  hostMessenger.onMessage('hostForget', ({ data }) => host.forget(data.videoId));
  hostMessenger.onMessage('hostReadWatermark', ({ data }) => host.readWatermark(data));
  hostMessenger.onMessage('hostReadStreamProvenance', ({ data }) => host.readStreamProvenance(data));
  hostMessenger.onMessage('hostReadProvenanceClaims', ({ data }) =>
    host.readProvenanceClaims(data.videoId, data.src, data.trustAnchors, data.maxBytes, data.source),
  );
  hostMessenger.onMessage('hostReadProvenance', ({ data }) =>
    host.readProvenance(data.videoId, data.src, data.trustAnchors, data.maxBytes, data.source),
  );
  void host.warm();
}
