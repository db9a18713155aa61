/**
 * Entry point: mounts the Svelte app. Everything else starts in `ui/App.svelte`.
 */
import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

/** The mounted app (kept for HMR and debugging). */
export const app = mount(App, { target });
