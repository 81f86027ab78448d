// Entry point: pick the client (Electron bridge, fixtures with ?fake=1, or the service) and render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The base styles first: each panel's own stylesheet, imported by the panel, builds on them.
import './app/styles.css';
import { chooseClient } from './client';
import { App } from './app/App';

const client = chooseClient(window);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
