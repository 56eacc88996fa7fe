import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DetailApp } from '../../components/DetailApp';
import '../../components/extension-page.css';
import '../../components/detail.css';
import { t } from '../../lib/present/i18n';

// The page speaks the catalogue's language, so screen readers read it in that voice.
document.documentElement.lang = t('lang');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DetailApp />
  </StrictMode>,
);
