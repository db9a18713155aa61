/**
 * Public surface of the lesson engine (issue 6, STYLE §14): load lesson files, start a session
 * over an injected sandbox factory, check goals and probes, replay solutions. Headless.
 */
export type * from './types';
export { loadLesson, parseFrontmatter } from './loadLesson';
export { startLesson, runSolution, runAntiSolution, LessonSession, type CallHook, type CallNotice, type CallOutcome, type Evaluation, type LocalStepRecord, type PredictionRecord, type StartOptions } from './engine';
export { LESSON_EPOCH, seedBytes, type BucketObject, type SandboxFactory, type SandboxInit } from './sandbox';
export { drawParams, interpolate, principalArnOf, callerOf, LessonStepError } from './resolve';
export { findKeys, askPolicy } from './checkGoals';
