/**
 * The lifecycle diagram is read from the XState machine's own config (STYLE §9), and its layout
 * keeps every state box apart and inside the drawing.
 */
import { describe, expect, it } from 'vitest';
import { KEY_STATES, keyStateMachine } from '../../../src/kms';
import { graphFromMachineConfig, layoutLifecycle, transitionsFrom } from '../../../src/viz';

const graph = graphFromMachineConfig(keyStateMachine.config);

describe('graphFromMachineConfig', () => {
  it('has every KeyState, plus the final Deleted state, and starts at Enabled', () => {
    expect(graph.initial).toBe('Enabled');
    expect(graph.states.map((s) => s.id).sort()).toEqual([...KEY_STATES, 'Deleted'].sort());
    expect(graph.states.find((s) => s.id === 'Deleted')?.isFinal).toBe(true);
  });

  it('reads plain, guarded and fallback transitions', () => {
    expect(transitionsFrom(graph, 'PendingDeletion')).toEqual([
      { from: 'PendingDeletion', to: 'Disabled', event: 'CancelKeyDeletion', guard: null },
      { from: 'PendingDeletion', to: 'Deleted', event: 'DeletionWindowElapsed', guard: null },
    ]);
    expect(transitionsFrom(graph, 'Enabled').filter((t) => t.event === 'ScheduleKeyDeletion')).toEqual([
      { from: 'Enabled', to: 'PendingReplicaDeletion', event: 'ScheduleKeyDeletion', guard: 'hasReplicas' },
      { from: 'Enabled', to: 'PendingDeletion', event: 'ScheduleKeyDeletion', guard: null },
    ]);
    expect(transitionsFrom(graph, 'Deleted')).toEqual([]);
  });

  it('agrees with the machine: every transition is what xstate itself does', async () => {
    const { nextKeyState } = await import('../../../src/kms');
    for (const t of graph.transitions) {
      if (t.guard !== null) continue;
      const event = { type: t.event, hasReplicas: false, isExternal: false, previous: 'Enabled' } as never;
      expect(nextKeyState(t.from as never, event), `${t.from} --${t.event}-->`).toBe(t.to);
    }
  });

  it('ignores what it cannot read', () => {
    expect(graphFromMachineConfig({})).toEqual({ initial: '', states: [], transitions: [] });
    expect(graphFromMachineConfig({ initial: 'A', states: { A: { on: { go: 'Nowhere', x: 3 } } } }).transitions).toEqual([]);
  });
});

describe('layoutLifecycle', () => {
  const layout = layoutLifecycle(graph);

  it('places states in columns by distance from the initial state', () => {
    const x = (id: string) => layout.nodes.find((n) => n.id === id)!.x;
    expect(x('Enabled')).toBeLessThan(x('Disabled'));
    expect(x('Disabled')).toBe(x('PendingDeletion'));
    expect(x('PendingDeletion')).toBeLessThan(x('Deleted'));
    expect(x('Creating')).toBe(x('Enabled'));
  });

  it('keeps boxes inside the drawing and apart from each other', () => {
    const h = layout.nodeHeight;
    for (const n of layout.nodes) {
      expect(n.width).toBeGreaterThan(n.id.length * 6);
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width / 2).toBeLessThanOrEqual(layout.width);
      expect(n.y - h / 2).toBeGreaterThanOrEqual(0);
      expect(n.y + h / 2).toBeLessThanOrEqual(layout.height);
      for (const m of layout.nodes) {
        if (m === n) continue;
        expect(Math.abs(m.x - n.x) >= (m.width + n.width) / 2 || Math.abs(m.y - n.y) >= h, `${n.id} overlaps ${m.id}`).toBe(true);
      }
    }
  });

  it('draws one edge per pair of states, with all their events', () => {
    const e = layout.edges.find((x) => x.from === 'Enabled' && x.to === 'PendingImport')!;
    expect(e.events).toEqual(['DeleteImportedKeyMaterial', 'KeyMaterialExpired']);
    expect(e.path).toMatch(/^M[\d.]+,[\d.]+ C/);
    expect(new Set(layout.edges.map((x) => `${x.from}>${x.to}`)).size).toBe(layout.edges.length);
  });
});
