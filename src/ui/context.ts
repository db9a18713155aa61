/**
 * Typed context for the open sandbox (STYLE §13: services through context, not singletons, so
 * components can be mounted with a fake). Set once by `Workspace.svelte`.
 */
import { createContext } from 'svelte';
import type { SandboxState } from './sandbox.svelte';

/** `getSandbox()` in any component under the workspace; `setSandbox(state)` in the workspace. */
export const [getSandbox, setSandbox] = createContext<SandboxState>();
