/**
 * Command history of the console, as a shell keeps it: Up walks back through earlier lines,
 * Down walks forward and finally returns the line being typed before the walk began. Empty lines
 * and a repeat of the previous line are not recorded (bash's `ignoreboth`). Pure state; the UI
 * owns the key bindings.
 */

/** Lines run so far and a cursor for Up/Down. */
export class CommandHistory {
  #entries: string[];
  readonly #limit: number;
  /** Index into entries while walking; entries.length when not walking. */
  #cursor: number;
  #draft = '';

  constructor(entries: readonly string[] = [], limit = 500) {
    this.#limit = limit;
    this.#entries = entries.slice(-limit);
    this.#cursor = this.#entries.length;
  }

  /** Oldest first. */
  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Records a line that was run and ends any walk. */
  push(line: string): void {
    const trimmed = line.trim();
    if (trimmed !== '' && this.#entries.at(-1) !== trimmed) {
      this.#entries.push(trimmed);
      if (this.#entries.length > this.#limit) this.#entries.shift();
    }
    this.#cursor = this.#entries.length;
    this.#draft = '';
  }

  /** Up: the previous line (the typed `current` is kept as the draft), or null at the oldest. */
  previous(current: string): string | null {
    if (this.#cursor === 0) return null;
    if (this.#cursor === this.#entries.length) this.#draft = current;
    this.#cursor -= 1;
    return this.#entries[this.#cursor] ?? null;
  }

  /** Down: the next line, the draft after the newest, or null when not walking. */
  next(): string | null {
    if (this.#cursor >= this.#entries.length) return null;
    this.#cursor += 1;
    return this.#cursor === this.#entries.length ? this.#draft : (this.#entries[this.#cursor] ?? null);
  }
}
