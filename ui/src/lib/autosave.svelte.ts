// Debounced, ordered autosave. A change is written at most `delayMs` after the last keystroke in
// its field; writes go one at a time so a slow save never lands after a newer one.
import { errorText, type AnswerValue, type Saved } from '$lib/ipc';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saved'; at: string }
  | { kind: 'failed'; message: string };

/** `null` clears the answer. */
export type Answer = AnswerValue | null;
export type Write = (fieldId: string, value: Answer) => Promise<Saved>;

export class Autosaver {
  state: SaveState = $state({ kind: 'idle' });
  readonly #write: Write;
  readonly #delayMs: number;
  // Bookkeeping only, never rendered: plain Maps on purpose (only `state` is reactive).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #pending = new Map<string, Answer>();
  #queue: Promise<void> = Promise.resolve();

  constructor(write: Write, delayMs = 300) {
    this.#write = write;
    this.#delayMs = delayMs;
  }

  /** Records a new value for `fieldId`; it is written once typing pauses. */
  change(fieldId: string, value: Answer): void {
    this.#pending.set(fieldId, value);
    this.state = { kind: 'pending' };
    clearTimeout(this.#timers.get(fieldId));
    this.#timers.set(
      fieldId,
      setTimeout(() => void this.#enqueue(fieldId), this.#delayMs),
    );
  }

  /** Writes everything not yet written, and resolves when it has landed (or failed). */
  async flush(): Promise<void> {
    for (const fieldId of this.#pending.keys()) {
      clearTimeout(this.#timers.get(fieldId));
      void this.#enqueue(fieldId);
    }
    await this.#queue;
  }

  #enqueue(fieldId: string): Promise<void> {
    this.#timers.delete(fieldId);
    this.#queue = this.#queue.then(() => this.#save(fieldId));
    return this.#queue;
  }

  async #save(fieldId: string): Promise<void> {
    if (!this.#pending.has(fieldId)) return;
    const value = this.#pending.get(fieldId) as Answer;
    this.#pending.delete(fieldId);
    try {
      const saved = await this.#write(fieldId, value);
      // A value that failed earlier stays pending, so "saved" means everything landed.
      if (this.#pending.size === 0) {
        this.state = { kind: 'saved', at: saved.updatedAt };
      }
    } catch (e) {
      // Keep the value so the next change or flush tries again; never drop what was typed.
      if (!this.#pending.has(fieldId)) this.#pending.set(fieldId, value);
      const message = errorText(e);
      this.state = { kind: 'failed', message };
    }
  }
}
