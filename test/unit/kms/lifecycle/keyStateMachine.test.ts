/**
 * The key-state machine (src/kms/lifecycle/keyStateMachine.ts) against kms-semantics.md §1.1–1.2:
 * every state is reachable (xstate graph `getShortestPaths`, cross-checked by a plain BFS over
 * `nextKeyState`), the whole state × event transition table equals the one written out from §1.2,
 * CancelKeyDeletion always lands in Disabled, DeletionWindowElapsed reaches Deleted only from
 * PendingDeletion, and Deleted is final.
 */
import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import { KEY_STATES } from '../../../../src/kms';
import {
  keyStateMachine,
  nextKeyState,
  type KeyLifecycleEvent,
  type LifecycleState,
} from '../../../../src/kms/lifecycle/keyStateMachine';

/** One sample of every event, with every value of its parameters. */
const EVENTS: readonly KeyLifecycleEvent[] = [
  { type: 'EnableKey' },
  { type: 'DisableKey' },
  { type: 'ScheduleKeyDeletion', hasReplicas: false },
  { type: 'ScheduleKeyDeletion', hasReplicas: true },
  { type: 'CancelKeyDeletion' },
  { type: 'DeletionWindowElapsed' },
  { type: 'LastReplicaDeleted' },
  { type: 'ImportKeyMaterial' },
  { type: 'DeleteImportedKeyMaterial' },
  { type: 'KeyMaterialExpired' },
  { type: 'ReplicaCreated', isExternal: false },
  { type: 'ReplicaCreated', isExternal: true },
  { type: 'UpdatePrimaryRegion' },
  { type: 'PrimaryRegionUpdated', previous: 'Enabled' },
  { type: 'PrimaryRegionUpdated', previous: 'Disabled' },
  { type: 'KeyStoreDisconnected' },
  { type: 'KeyStoreConnected', previous: 'Enabled' },
  { type: 'KeyStoreConnected', previous: 'Disabled' },
];

const ALL_STATES: readonly LifecycleState[] = [...KEY_STATES, 'Deleted'];

/**
 * Where a key starts (§1.2): CreateKey → Enabled, CreateKey with Origin=EXTERNAL → PendingImport,
 * ReplicateKey → Creating (the new replica). Creating has no incoming transition otherwise.
 */
const ENTRY_STATES: readonly LifecycleState[] = ['Enabled', 'PendingImport', 'Creating'];

/**
 * §1.2 written out as a function: the state a key reaches from `s` on `e`, or `s` itself when §1.2
 * lists no transition (the machine ignores the event; the operation×state matrix rejects the call).
 * `undefined` marks combinations §1.2 leaves open (not asserted).
 */
function expectedNext(s: LifecycleState, e: KeyLifecycleEvent): LifecycleState | undefined {
  switch (e.type) {
    case 'EnableKey':
      // Disabled ─► Enabled; Enabled → Enabled is a no-op success.
      return s === 'Disabled' ? 'Enabled' : s;
    case 'DisableKey':
      return s === 'Enabled' ? 'Disabled' : s;
    case 'ScheduleKeyDeletion':
      if (e.hasReplicas) {
        // Only an MR primary has replicas; §1.2 speaks of it in Enabled/Disabled only.
        if (s === 'Enabled' || s === 'Disabled') return 'PendingReplicaDeletion';
        return ['PendingImport', 'Unavailable', 'Creating'].includes(s) ? undefined : s;
      }
      return ['Enabled', 'Disabled', 'PendingImport', 'Unavailable', 'Creating'].includes(s) ? 'PendingDeletion' : s;
    case 'CancelKeyDeletion':
      return s === 'PendingDeletion' || s === 'PendingReplicaDeletion' ? 'Disabled' : s;
    case 'DeletionWindowElapsed':
      return s === 'PendingDeletion' ? 'Deleted' : s;
    case 'LastReplicaDeleted':
      return s === 'PendingReplicaDeletion' ? 'PendingDeletion' : s;
    case 'ImportKeyMaterial':
      return s === 'PendingImport' ? 'Enabled' : s;
    case 'DeleteImportedKeyMaterial':
    case 'KeyMaterialExpired':
      // "no state change if PendingDeletion"
      return s === 'Enabled' || s === 'Disabled' ? 'PendingImport' : s;
    case 'ReplicaCreated':
      return s === 'Creating' ? (e.isExternal ? 'PendingImport' : 'Enabled') : s;
    case 'UpdatePrimaryRegion':
      // UpdatePrimaryRegion on a Disabled key fails (matrix X[1]), so only Enabled moves.
      return s === 'Enabled' ? 'Updating' : s;
    case 'PrimaryRegionUpdated':
      return s === 'Updating' ? e.previous : s;
    case 'KeyStoreDisconnected':
      // Footnote 13: a key pending deletion stays PendingDeletion.
      return s === 'Enabled' || s === 'Disabled' ? 'Unavailable' : s;
    case 'KeyStoreConnected':
      return s === 'Unavailable' ? e.previous : s;
  }
}

function label(e: KeyLifecycleEvent): string {
  const { type, ...params } = e;
  return Object.keys(params).length ? `${type}${JSON.stringify(params)}` : type;
}

/** States reachable from `from` by any sequence of EVENTS (plain BFS over nextKeyState). */
function bfs(from: readonly LifecycleState[]): Set<LifecycleState> {
  const seen = new Set<LifecycleState>(from);
  const queue = [...from];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const e of EVENTS) {
      const n = nextKeyState(s, e);
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

describe('keyStateMachine: reachability', () => {
  it('getShortestPaths from the entry states reaches every KeyState and Deleted', () => {
    const reached = new Map<string, string[]>();
    for (const entry of ENTRY_STATES) {
      const fromState = keyStateMachine.resolveState({ value: entry, context: {} });
      for (const path of getShortestPaths(keyStateMachine, { events: EVENTS, fromState })) {
        const v = path.state.value as string;
        const steps = [entry, ...path.steps.slice(1).map((st) => label(st.event))];
        const prev = reached.get(v);
        if (!prev || prev.length > steps.length) reached.set(v, steps);
      }
    }
    expect([...reached.keys()].sort()).toEqual([...ALL_STATES].sort());
    // A few shortest paths, as a learner would read them.
    expect(reached.get('Deleted')).toEqual(['Enabled', 'ScheduleKeyDeletion{"hasReplicas":false}', 'DeletionWindowElapsed']);
    expect(reached.get('Updating')).toEqual(['Enabled', 'UpdatePrimaryRegion']);
  });

  it('from the machine initial state (a new AWS_KMS key) everything but Creating is reachable', () => {
    const paths = getShortestPaths(keyStateMachine, { events: EVENTS });
    const values = new Set(paths.map((p) => p.state.value as string));
    expect([...values].sort()).toEqual(ALL_STATES.filter((s) => s !== 'Creating').sort());
    expect(keyStateMachine.config.initial).toBe('Enabled');
  });

  it('a BFS over nextKeyState agrees with the xstate graph', () => {
    expect([...bfs(ENTRY_STATES)].sort()).toEqual([...ALL_STATES].sort());
    expect(bfs(['Enabled']).has('Creating')).toBe(false);
  });
});

describe('keyStateMachine: transitions (§1.2, state × event, cell by cell)', () => {
  for (const s of ALL_STATES) {
    it(`from ${s}`, () => {
      for (const e of EVENTS) {
        const want = expectedNext(s, e);
        if (want === undefined) continue;
        expect(nextKeyState(s, e), `${s} --${label(e)}-->`).toBe(want);
      }
    });
  }

  it('CancelKeyDeletion always lands in Disabled (never Enabled) from either pending state', () => {
    expect(nextKeyState('PendingDeletion', { type: 'CancelKeyDeletion' })).toBe('Disabled');
    expect(nextKeyState('PendingReplicaDeletion', { type: 'CancelKeyDeletion' })).toBe('Disabled');
    // It never moves a key into Enabled (the caller must EnableKey afterwards).
    for (const s of ALL_STATES) {
      if (s !== 'Enabled') expect(nextKeyState(s, { type: 'CancelKeyDeletion' }), s).not.toBe('Enabled');
    }
  });

  it('DeletionWindowElapsed reaches Deleted only from PendingDeletion', () => {
    for (const s of ALL_STATES) {
      const n = nextKeyState(s, { type: 'DeletionWindowElapsed' });
      expect(n === 'Deleted', s).toBe(s === 'PendingDeletion' || s === 'Deleted');
    }
    // And nothing else ever reaches Deleted.
    for (const s of KEY_STATES) {
      for (const e of EVENTS) {
        if (e.type !== 'DeletionWindowElapsed') expect(nextKeyState(s, e), `${s} --${label(e)}-->`).not.toBe('Deleted');
      }
    }
  });

  it('Deleted is final: no event leaves it', () => {
    for (const e of EVENTS) expect(nextKeyState('Deleted', e)).toBe('Deleted');
    expect(keyStateMachine.config.states?.Deleted?.type).toBe('final');
  });

  it('the machine has exactly the eight KeyStates plus Deleted', () => {
    expect(Object.keys(keyStateMachine.config.states ?? {}).sort()).toEqual([...ALL_STATES].sort());
  });
});
