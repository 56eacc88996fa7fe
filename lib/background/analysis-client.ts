import type { HostAnswer, HostCall, HostEventHandlers, HostRequest } from '../messaging/protocol';

/**
 * How the background reaches the analysis host, wherever it runs: every call of `HostCalls` (the protocol is the
 * one place a call is declared), answered asynchronously, the host's events (`HostEvents`), plus starting the host
 * ahead of need.
 */
export type AnalysisClient = { [K in HostCall]: (req: HostRequest<K>) => Promise<HostAnswer<K>> } & {
  /** Starts the host ahead of the first frame (a video was seen). */
  prepare: () => Promise<void>;
  /** Hands every host event to the background's handler for it (called once, as the background starts). */
  listen: (handlers: HostEventHandlers) => void;
};
