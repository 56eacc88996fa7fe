import { createBrowserAnalysisHost } from '../../lib/analysis/browser-host';
import { sendHostEvent, serveAnalysisHost } from '../../lib/analysis/serve-host';

serveAnalysisHost(createBrowserAnalysisHost(sendHostEvent));
