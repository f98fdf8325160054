/**
 * Startup work a process must finish before it may take traffic (`npm start` registers the dev
 * project and the sandbox provider after the server listens). `/readyz` answers 503 while any is held.
 */
export class Readiness {
  readonly #held = new Map<symbol, string>();

  /** Marks `what` as under way; the returned function marks it done (calling it twice is harmless). */
  hold(what: string): () => void {
    const id = Symbol(what);
    this.#held.set(id, what);
    return () => {
      this.#held.delete(id);
    };
  }

  /** What is still under way, oldest first; empty when ready. */
  pending(): string[] {
    return [...this.#held.values()];
  }
}
