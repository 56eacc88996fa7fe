import { createBrowserAnalysisHost } from '../../lib/analysis/browser-host';
import { serveAnalysisHost } from '../../lib/analysis/serve-host';

serveAnalysisHost(createBrowserAnalysisHost());
