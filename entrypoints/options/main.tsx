import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Options } from '../../components/Options';
import '../../components/extension-page.css';
import '../../components/options.css';
import { t } from '../../lib/present/i18n';

// The page speaks the catalogue's language, so screen readers read it in that voice.
document.documentElement.lang = t('lang');
document.title = t('optionsHeading');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Options />
  </StrictMode>,
);
