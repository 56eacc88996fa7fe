import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DetailApp } from '../../components/DetailApp';
import '../../components/extension-page.css';
import '../../components/detail.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DetailApp />
  </StrictMode>,
);
