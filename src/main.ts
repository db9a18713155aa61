/**
 * Entry point: applies the stored theme choice (before the first paint of the app, without an
 * inline script: the CSP forbids those), then mounts the Svelte app. Everything else starts in
 * `ui/App.svelte`.
 */
import { mount } from 'svelte';
import App from './ui/App.svelte';
import { applyStoredTheme } from './ui/components/ThemeToggle.svelte';
import './ui/app.css';

applyStoredTheme();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

/** The mounted app (kept for HMR and debugging). */
export const app = mount(App, { target });
