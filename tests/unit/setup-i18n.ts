import en from '../../public/_locales/en/messages.json';
import { setFallbackCatalogue } from '../../lib/present/i18n';

// Node has no browser.i18n: unit tests read the English catalogue, as an English browser would.
setFallbackCatalogue(en);
