import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Popup } from '../../components/Popup';
import '../../components/extension-page.css';
import '../../components/popup.css';
import { t } from '../../lib/present/i18n';

// The page speaks the catalogue's language, so screen readers read it in that voice.
document.documentElement.lang = t('lang');
document.title = t('extName');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Popup />
  </StrictMode>,
);
