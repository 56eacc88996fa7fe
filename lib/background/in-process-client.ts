import { createBrowserAnalysisHost } from '../analysis/browser-host';
import type { AnalysisHost } from '../analysis/analysis-host';
import type { AnalysisClient } from './analysis-client';

let host: AnalysisHost | null = null;

/** Firefox: the background page has a DOM, so the analysis host runs right there. */
export const inProcessClient: AnalysisClient = {
  analyseImage: (req) => (host ??= createBrowserAnalysisHost()).analyseImage(req),
  analyseRemote: (req) => (host ??= createBrowserAnalysisHost()).analyseRemote(req),
  readWatermark: (req) => (host ??= createBrowserAnalysisHost()).readWatermark(req),
  readStreamProvenance: (req) => (host ??= createBrowserAnalysisHost()).readStreamProvenance(req),
  readProvenanceClaims: (req) =>
    (host ??= createBrowserAnalysisHost()).readProvenanceClaims(
      req.videoId,
      req.src,
      req.trust,
      req.maxBytes,
      req.source,
    ),
  readProvenance: (req) =>
    (host ??= createBrowserAnalysisHost()).readProvenance(req.videoId, req.src, req.trust, req.maxBytes, req.source),
  async prepare() {
    host ??= createBrowserAnalysisHost();
    await host.warm();
  },
  async forget(videoId) {
    host?.forget(videoId);
  },
};
