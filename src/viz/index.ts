/**
 * Public surface of src/viz (STYLE §2): the pure, DOM-free models the UI draws — the animation's
 * steps for a trail record and the key lifecycle graph. The D3 renderer (`envelopeAnimation.ts`)
 * is not re-exported here on purpose: the UI loads it with `import()` so d3 stays out of the
 * first-load chunk.
 */
export { ACTORS, actorLabel } from './stepTypes';
export type { ActorId, AnimationStep, LocalStep, StepDetail, StepKind, StepSequence, StepStatus, Token } from './stepTypes';
export { buildSteps, type BuildStepsOptions } from './animationSteps';
export { lanesFor, serviceActorOf, serviceLabel, stepActorLabel, withServiceActor, type ServiceActor } from './serviceActor';
export { authorizationSummaries, describeRef, type AuthorizationSummary, type DecidingRef } from './authorizationSummary';
export {
  graphFromMachineConfig,
  layoutLifecycle,
  transitionsFrom,
  type EdgeLayout,
  type LifecycleGraph,
  type LifecycleLayout,
  type LifecycleTransition,
  type MachineConfigLike,
  type NodeLayout,
} from './lifecycleGraph';
export { materialVersionLookup } from './materialVersions';
