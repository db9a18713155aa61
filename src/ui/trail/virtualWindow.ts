/**
 * Virtual scrolling math of the trail panel: with fixed-height rows, only the rows in the
 * viewport (plus `overscan` rows on each side) are rendered, inside a spacer as tall as every
 * row together, so 100,000 records cost as much DOM as a screenful.
 */

/** The rows to render and where they sit. */
export interface VirtualWindow {
  /** First rendered position (inclusive). */
  readonly start: number;
  /** Last rendered position (exclusive). */
  readonly end: number;
  /** Offset of the first rendered row from the top of the list, px. */
  readonly offset: number;
  /** Height of the whole list, px. */
  readonly totalHeight: number;
}

/** Input of `virtualWindow`. */
export interface WindowInput {
  readonly count: number;
  readonly rowHeight: number;
  readonly scrollTop: number;
  readonly viewportHeight: number;
  /** Extra rows rendered above and below the viewport. */
  readonly overscan: number;
}

/** The window of rows to render for a scroll position. */
export function virtualWindow({ count, rowHeight, scrollTop, viewportHeight, overscan }: WindowInput): VirtualWindow {
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, totalHeight };
  const top = clamp(Number.isFinite(scrollTop) ? scrollTop : 0, 0, Math.max(0, totalHeight - Math.max(0, viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil((Math.max(0, viewportHeight) + (top - first * rowHeight)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + Math.max(1, visible) + overscan);
  return { start, end, offset: start * rowHeight, totalHeight };
}

/**
 * The scrollTop that brings row `position` fully into view, or `scrollTop` unchanged when it
 * already is (keyboard navigation moves the view only as far as needed).
 */
export function scrollToReveal(position: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const top = position * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Position reached by a navigation key from `current` among `count` rows (null: not a navigation key). */
export function navigate(key: string, current: number, count: number, pageRows: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const from = current < 0 ? -1 : Math.min(current, last);
  switch (key) {
    case 'ArrowDown':
      return Math.min(last, from + 1);
    case 'ArrowUp':
      return from < 0 ? 0 : Math.max(0, from - 1);
    case 'PageDown':
      return Math.min(last, Math.max(0, from) + Math.max(1, pageRows));
    case 'PageUp':
      return Math.max(0, from - Math.max(1, pageRows));
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
