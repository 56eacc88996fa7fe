import { createBrowserAnalysisHost } from '../analysis/browser-host';
import type { AnalysisHost } from '../analysis/analysis-host';
import {
  HOST_CALL_NAMES,
  HOST_CALLS,
  type HostAnswer,
  type HostCall,
  type HostHandlers,
  type HostRequest,
} from '../messaging/protocol';
import type { AnalysisClient } from './analysis-client';

let host: AnalysisHost | null = null;

/** One host call made directly on this page's host, started first; a call that may `skip` needs no host. */
function directCall<K extends HostCall>(call: K): AnalysisClient[K] {
  const handle = async (req: HostRequest<K>): Promise<HostAnswer<K> | undefined> => {
    if (HOST_CALLS[call] === 'skip' && !host) return undefined;
    const handlers: HostHandlers = (host ??= createBrowserAnalysisHost());
    return handlers[call](req);
  };
  return handle as AnalysisClient[K];
}

/** Firefox: the background page has a DOM, so the analysis host runs right there. */
export const inProcessClient: AnalysisClient = {
  ...(Object.fromEntries(HOST_CALL_NAMES.map((call) => [call, directCall(call)])) as Omit<AnalysisClient, 'prepare'>),
  async prepare() {
    host ??= createBrowserAnalysisHost();
    await host.warm();
  },
};
