/**
 * The key lifecycle diagram's data (issue 5; STYLE §9: "the viz draws machines from the
 * definition itself, never from a hand-drawn copy"): reads states and transitions out of an
 * XState machine config (src/kms/lifecycle/keyStateMachine.ts, passed in by the UI — viz never
 * imports the machine at run time), then lays them out in columns by distance from the initial
 * state, and routes each transition as a curved edge.
 *
 * Only the config's plain data is read: `initial`, `states.<name>.on.<event>` as a target string,
 * `{ target, guard }` or an array of those, and `type: 'final'`. Guards are kept as labels.
 */

/** One transition of the machine. */
export interface LifecycleTransition {
  readonly from: string;
  readonly to: string;
  /** The event (an AWS operation or fact, e.g. `ScheduleKeyDeletion`). */
  readonly event: string;
  /** Guard name when the transition is conditional (`hasReplicas`), else null. */
  readonly guard: string | null;
}

/** States and transitions, in the config's order. */
export interface LifecycleGraph {
  readonly initial: string;
  readonly states: readonly { readonly id: string; readonly isFinal: boolean }[];
  readonly transitions: readonly LifecycleTransition[];
}

/** The subset of an XState machine config this module reads. */
export interface MachineConfigLike {
  readonly initial?: unknown;
  readonly states?: unknown;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function targetsOf(value: unknown): { to: string; guard: string | null }[] {
  const list = Array.isArray(value) ? value : [value];
  const out: { to: string; guard: string | null }[] = [];
  for (const t of list) {
    if (typeof t === 'string') out.push({ to: t, guard: null });
    else if (isObj(t)) {
      const target = Array.isArray(t['target']) ? t['target'][0] : t['target'];
      const guard = typeof t['guard'] === 'string' ? t['guard'] : null;
      if (typeof target === 'string') out.push({ to: target.replace(/^\./, ''), guard });
    }
  }
  return out;
}

/** The machine's states and transitions, read from its config. */
export function graphFromMachineConfig(config: MachineConfigLike): LifecycleGraph {
  const states = isObj(config.states) ? config.states : {};
  const ids = Object.keys(states);
  const transitions: LifecycleTransition[] = [];
  for (const from of ids) {
    const node = states[from];
    const on = isObj(node) && isObj(node['on']) ? node['on'] : {};
    for (const [event, value] of Object.entries(on)) {
      for (const { to, guard } of targetsOf(value)) if (ids.includes(to)) transitions.push({ from, to, event, guard });
    }
  }
  return {
    initial: typeof config.initial === 'string' ? config.initial : (ids[0] ?? ''),
    states: ids.map((id) => ({ id, isFinal: isObj(states[id]) && states[id]['type'] === 'final' })),
    transitions,
  };
}

/** Transitions leaving `state` (what can happen next). */
export function transitionsFrom(graph: LifecycleGraph, state: string): LifecycleTransition[] {
  return graph.transitions.filter((t) => t.from === state);
}

/** A laid-out state box. */
export interface NodeLayout {
  readonly id: string;
  readonly isFinal: boolean;
  readonly isInitial: boolean;
  /** Centre of the box. */
  readonly x: number;
  readonly y: number;
  /** Box width (the widest name of its column decides). */
  readonly width: number;
}

/** A routed edge (every transition between the same two states): an SVG path and where its label sits. */
export interface EdgeLayout {
  readonly from: string;
  readonly to: string;
  /** The events of the merged transitions, `Event [guard]` for guarded ones. */
  readonly events: readonly string[];
  readonly path: string;
  readonly labelX: number;
  readonly labelY: number;
}

export interface LifecycleLayout {
  readonly width: number;
  readonly height: number;
  readonly nodeHeight: number;
  readonly nodes: readonly NodeLayout[];
  readonly edges: readonly EdgeLayout[];
}

/** Sizes in SVG user units, for state names drawn at about 12px. */
const CHAR_W = 6.9;
const NODE_PAD = 18;
const NODE_H = 24;
const COL_GAP = 44;
const ROW_GAP = 10;
const PAD = 6;

/**
 * Column = shortest distance from the initial state; states the initial state cannot reach
 * (entry states such as a replica's `Creating`) sit in the first column. Rows follow config order.
 */
function columns(graph: LifecycleGraph): Map<string, number> {
  const col = new Map<string, number>([[graph.initial, 0]]);
  const queue = [graph.initial];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const t of graph.transitions) {
      if (t.from === s && !col.has(t.to)) {
        col.set(t.to, col.get(s)! + 1);
        queue.push(t.to);
      }
    }
  }
  for (const s of graph.states) if (!col.has(s.id)) col.set(s.id, 0);
  return col;
}

/** Positions every state and routes every transition (one edge per from→to pair, events merged). */
export function layoutLifecycle(graph: LifecycleGraph): LifecycleLayout {
  const col = columns(graph);
  const perCol = new Map<number, string[]>();
  for (const s of graph.states) {
    const c = col.get(s.id)!;
    perCol.set(c, [...(perCol.get(c) ?? []), s.id]);
  }
  const order = [...perCol.keys()].sort((a, b) => a - b);
  const maxRows = Math.max(1, ...[...perCol.values()].map((l) => l.length));
  const height = PAD * 2 + maxRows * NODE_H + (maxRows - 1) * ROW_GAP;
  const nodes: NodeLayout[] = [];
  let left = PAD;
  for (const c of order) {
    const list = perCol.get(c)!;
    const width = Math.round(Math.max(...list.map((id) => id.length * CHAR_W)) + NODE_PAD);
    const colHeight = list.length * NODE_H + (list.length - 1) * ROW_GAP;
    const top = (height - colHeight) / 2;
    list.forEach((id, r) => {
      nodes.push({
        id,
        isFinal: graph.states.find((s) => s.id === id)!.isFinal,
        isInitial: id === graph.initial,
        x: left + width / 2,
        y: top + NODE_H / 2 + r * (NODE_H + ROW_GAP),
        width,
      });
    });
    left += width + COL_GAP;
  }
  const width = Math.round(left - COL_GAP + PAD);
  const at = new Map(nodes.map((n) => [n.id, n]));
  const merged = new Map<string, LifecycleTransition[]>();
  for (const t of graph.transitions) merged.set(`${t.from}>${t.to}`, [...(merged.get(`${t.from}>${t.to}`) ?? []), t]);
  const edges: EdgeLayout[] = [];
  for (const list of merged.values()) {
    const a = at.get(list[0]!.from)!;
    const b = at.get(list[0]!.to)!;
    const events = list.map((t) => (t.guard ? `${t.event} [${t.guard}]` : t.event));
    edges.push({ from: a.id, to: b.id, events, ...route(a, b) });
  }
  return { width, height, nodeHeight: NODE_H, nodes, edges };
}

/** A curve from box `a` to box `b`: side to side across columns, a bulge into the gap within one. */
function route(a: NodeLayout, b: NodeLayout): { path: string; labelX: number; labelY: number } {
  const r = (n: number) => Math.round(n * 10) / 10;
  if (a.x === b.x) {
    const x = a.x + a.width / 2;
    const bulge = Math.min(COL_GAP - 8, 14 + Math.abs(b.y - a.y) * 0.2);
    const sy = a.y + (b.y > a.y ? 4 : -4);
    const ty = b.y + (b.y > a.y ? -4 : 4);
    return { path: `M${r(x)},${r(sy)} C${r(x + bulge)},${r(sy)} ${r(x + bulge)},${r(ty)} ${r(x + 2)},${r(ty)}`, labelX: r(x + bulge * 0.75), labelY: r((sy + ty) / 2) };
  }
  const dir = b.x > a.x ? 1 : -1;
  // Reverse edges of a pair run a few pixels apart so both stay visible.
  const lane = dir * 4;
  const sx = a.x + (dir * a.width) / 2;
  const tx = b.x - (dir * b.width) / 2 - dir * 2;
  const sy = a.y - lane;
  const ty = b.y - lane;
  const mx = (sx + tx) / 2;
  return { path: `M${r(sx)},${r(sy)} C${r(mx)},${r(sy)} ${r(mx)},${r(ty)} ${r(tx)},${r(ty)}`, labelX: r(mx), labelY: r((sy + ty) / 2 - 3) };
}
