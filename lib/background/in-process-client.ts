import { createBrowserAnalysisHost } from '../analysis/browser-host';
import type { AnalysisHost } from '../analysis/analysis-host';
import {
  HOST_CALL_NAMES,
  HOST_CALLS,
  type HostAnswer,
  type HostCall,
  type HostEventHandlers,
  type HostEventSink,
  type HostHandlers,
  type HostRequest,
} from '../messaging/protocol';
import type { AnalysisClient } from './analysis-client';

let host: AnalysisHost | null = null;
let handlers: HostEventHandlers | null = null;

/** The host's events go straight to the background's handlers, on this page. */
const emit: HostEventSink = (event, data) => {
  const handle = handlers?.[event];
  if (!handle) return;
  void Promise.resolve(handle(data)).catch((error: unknown) =>
    console.warn(`[provenance-lens] host event ${event} not handled`, error),
  );
};

/** One host call made directly on this page's host, started first; a call that may `skip` needs no host. */
function directCall<K extends HostCall>(call: K): AnalysisClient[K] {
  const handle = async (req: HostRequest<K>): Promise<HostAnswer<K> | undefined> => {
    if (HOST_CALLS[call] === 'skip' && !host) return undefined;
    const calls: HostHandlers = (host ??= createBrowserAnalysisHost(emit));
    return calls[call](req);
  };
  return handle as AnalysisClient[K];
}

/** Firefox: the background page has a DOM, so the analysis host runs right there. */
export const inProcessClient: AnalysisClient = {
  ...(Object.fromEntries(HOST_CALL_NAMES.map((call) => [call, directCall(call)])) as Omit<
    AnalysisClient,
    'prepare' | 'listen'
  >),
  async prepare() {
    host ??= createBrowserAnalysisHost(emit);
    await host.warm();
  },
  listen(events) {
    handlers = events;
  },
};
