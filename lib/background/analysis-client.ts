import type { ProvenanceSignal } from '../core/signals';
import type { HostProtocol } from '../messaging/protocol';

/** How the background reaches the analysis host, wherever it runs. */
export interface AnalysisClient {
  analyseImage: (
    req: Parameters<HostProtocol['hostAnalyseImage']>[0],
  ) => Promise<ReturnType<HostProtocol['hostAnalyseImage']>>;
  analyseRemote: (
    req: Parameters<HostProtocol['hostAnalyseRemote']>[0],
  ) => Promise<ReturnType<HostProtocol['hostAnalyseRemote']>>;
  forget: (videoId: string) => Promise<void>;
  readStreamProvenance: (req: Parameters<HostProtocol['hostReadStreamProvenance']>[0]) => Promise<ProvenanceSignal>;
  readWatermark: (
    req: Parameters<HostProtocol['hostReadWatermark']>[0],
  ) => Promise<ReturnType<HostProtocol['hostReadWatermark']>>;
  readProvenanceClaims: (
    req: Parameters<HostProtocol['hostReadProvenanceClaims']>[0],
  ) => Promise<ReturnType<HostProtocol['hostReadProvenanceClaims']>>;
  readProvenance: (req: Parameters<HostProtocol['hostReadProvenance']>[0]) => Promise<ProvenanceSignal>;
  /** Starts the host ahead of the first frame (a video was seen). */
  prepare: () => Promise<void>;
}
