/**
 * The small, eagerly loaded part of the lessons UI (issue 6): which sandbox the workspace shows
 * (the learner's own, or an open lesson's) and the lesson banner component. Everything else (the
 * engine, the lesson files, the panels, the progress database) is in lazy chunks loaded by the
 * Lessons tab, which keeps its controller here so it survives the workspace being re-mounted
 * when a lesson opens or closes.
 */
import { createContext, type Component } from 'svelte';
import type { SandboxState } from '../sandbox.svelte';

export class LessonHost {
  /** The open lesson's sandbox (null: the workspace shows the learner's own sandbox). */
  sandbox = $state.raw<SandboxState | null>(null);
  /** The banner shown above the workspace while a lesson is open (from the lazy chunk). */
  banner = $state.raw<Component | null>(null);
  /** The lazy chunk's controller (opaque here). */
  controller: unknown = null;
}

/** True when the URL fragment asks for a lesson (`#lesson=<id>`). */
export function hashAsksLesson(hash: string): boolean {
  return /^#lesson=/.test(hash);
}

export const [getLessonHost, setLessonHost] = createContext<LessonHost>();
