/**
 * D3 renderer of the envelope-encryption animation (issue 5; STYLE §13): four actor boxes
 * (Application, KMS front end, HSM boundary, Storage; a fifth, the AWS service, between the
 * application and KMS for a call made through S3, EBS or Secrets Manager — issue 8) and a token
 * that travels between them for each step; the acting box is highlighted, a failed step is marked
 * on its actor.
 *
 * A plain function `(element, options) → { show, destroy }`: it owns the SVG it appends to
 * `element` and nothing else. Loaded with `import()` by the UI so d3 stays out of the first load.
 * With `reducedMotion` nothing moves: the token is placed at once (the UI shows a text narration).
 * Colours come from the app's CSS custom properties, set through classes the UI styles.
 */
import { easeCubicInOut } from 'd3-ease';
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import { lanesFor } from './serviceActor';
import { ACTORS, type ActorId, type AnimationStep, type Token } from './stepTypes';

export interface EnvelopeAnimationOptions {
  /** Place things without motion. */
  readonly reducedMotion: boolean;
}

export interface EnvelopeAnimation {
  /** Shows `step` (null: the idle stage), animating over `durationMs`. */
  show(step: AnimationStep | null, durationMs: number): void;
  /** Changes the motion preference. */
  setReducedMotion(reduced: boolean): void;
  /** Removes the SVG. */
  destroy(): void;
}

const WIDTH = 640;
const HEIGHT = 150;
const BOX_W = 130;
const BOX_H = 54;
const BOX_Y = 18;
const TOKEN_Y = 112;

const TOKEN_LABELS: Readonly<Record<Token, string>> = {
  request: 'request',
  'plaintext-key': 'plaintext key',
  'encrypted-key': 'encrypted key',
  keys: 'plaintext key + encrypted key',
  ciphertext: 'ciphertext',
  plaintext: 'plaintext',
  envelope: 'ciphertext + encrypted key',
  none: '',
};

const SUBTITLES: Readonly<Record<ActorId, string>> = {
  app: 'your code',
  service: 'calls KMS for you',
  kms: 'authorization',
  hsm: 'key material versions',
  storage: 'envelopes',
};

type Lane = { readonly id: ActorId; readonly label: string };

/** Box width for `n` lanes (a fifth lane, the AWS service, narrows them). */
function boxWidth(n: number): number {
  return n > 4 ? 118 : BOX_W;
}

function actorX(id: ActorId, lanes: readonly Lane[] = ACTORS): number {
  const w = boxWidth(lanes.length);
  const i = Math.max(0, lanes.findIndex((a) => a.id === id));
  const gap = (WIDTH - lanes.length * w) / (lanes.length + 1);
  return gap + i * (w + gap) + w / 2;
}

/** Draws the stage into `element` (usually an empty div). */
export function createEnvelopeAnimation(element: Element, options: EnvelopeAnimationOptions): EnvelopeAnimation {
  let reduced = options.reducedMotion;
  const svg = select(element)
    .append('svg')
    .attr('class', 'envelope-stage')
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
    .attr('width', '100%')
    .attr('aria-hidden', 'true')
    .attr('focusable', 'false');

  const laneLayer = svg.append('g').attr('class', 'lanes');
  let lanes: readonly Lane[] = [];
  let actors = laneLayer.selectAll<SVGGElement, Lane>('g.actor');
  /** (Re)draws the actor boxes and lifelines when the lanes change (a service call adds one). */
  function drawLanes(next: readonly Lane[]): void {
    if (next.length === lanes.length && next.every((l, i) => l.id === lanes[i]!.id && l.label === lanes[i]!.label)) return;
    lanes = next;
    const w = boxWidth(next.length);
    laneLayer.selectAll('*').remove();
    laneLayer
      .selectAll('line.lifeline')
      .data(next)
      .join('line')
      .attr('class', 'lifeline')
      .attr('x1', (d) => actorX(d.id, next))
      .attr('x2', (d) => actorX(d.id, next))
      .attr('y1', BOX_Y + BOX_H)
      .attr('y2', HEIGHT - 8);
    actors = laneLayer
      .selectAll<SVGGElement, Lane>('g.actor')
      .data(next)
      .join('g')
      .attr('class', (d) => `actor actor-${d.id}`)
      .attr('transform', (d) => `translate(${actorX(d.id, next) - w / 2},${BOX_Y})`);
    actors.append('rect').attr('width', w).attr('height', BOX_H).attr('rx', 8);
    actors.append('text').attr('class', 'actor-label').attr('x', w / 2).attr('y', 23).attr('text-anchor', 'middle').text((d) => d.label);
    actors.append('text').attr('class', 'actor-sub').attr('x', w / 2).attr('y', 41).attr('text-anchor', 'middle').text((d) => SUBTITLES[d.id]);
    actors.append('text').attr('class', 'actor-fail').attr('x', w - 12).attr('y', 16).attr('text-anchor', 'middle').text('✕');
  }
  drawLanes(ACTORS);

  const arrow = svg.append('line').attr('class', 'flow').attr('y1', TOKEN_Y).attr('y2', TOKEN_Y);
  const token: Selection<SVGGElement, unknown, null, undefined> = svg.append('g').attr('class', 'token');
  const tokenRect = token.append('rect').attr('height', 24).attr('y', -12).attr('rx', 12);
  const tokenText = token.append('text').attr('text-anchor', 'middle').attr('y', 4);

  function show(step: AnimationStep | null, durationMs: number): void {
    const ms = reduced ? 0 : Math.max(0, durationMs);
    drawLanes(lanesFor(step));
    actors.classed('active', (d) => step !== null && d.id === step.actor).classed('failed', (d) => step?.status === 'failed' && d.id === step.actor);
    svg.classed('expected', step?.status === 'expected');
    const label = step ? TOKEN_LABELS[step.token] : '';
    if (!step || label === '') {
      token.interrupt().attr('opacity', 0);
      arrow.attr('opacity', 0);
      return;
    }
    tokenText.text(label);
    const w = Math.max(70, label.length * 7 + 20);
    tokenRect.attr('x', -w / 2).attr('width', w);
    // A wide token stays whole inside the stage, even next to the outer actors.
    const clamp = (x: number) => Math.min(WIDTH - w / 2 - 4, Math.max(w / 2 + 4, x));
    const from = clamp(actorX(step.from, lanes));
    const to = clamp(actorX(step.to, lanes));
    arrow
      .attr('x1', Math.min(actorX(step.from, lanes), actorX(step.to, lanes)))
      .attr('x2', Math.max(actorX(step.from, lanes), actorX(step.to, lanes)))
      .attr('opacity', step.from === step.to ? 0 : 1);
    token.interrupt().attr('opacity', 1).attr('transform', `translate(${from},${TOKEN_Y})`);
    if (ms === 0) token.attr('transform', `translate(${to},${TOKEN_Y})`);
    else token.transition().duration(ms * 0.7).ease(easeCubicInOut).attr('transform', `translate(${to},${TOKEN_Y})`);
  }

  return {
    show,
    setReducedMotion(r) {
      reduced = r;
    },
    destroy() {
      token.interrupt();
      svg.remove();
    },
  };
}
