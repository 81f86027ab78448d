// Disposables, VS Code style: whoever starts something (a timer, a listener, a server) gets back
// one handle that stops it, and a DisposableStore stops a whole group in one call. Pure: no I/O.

export interface Disposable {
  dispose(): void;
}

/** Wraps a stop function so it runs at most once, however often dispose() is called. */
export function toDisposable(stop: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      stop();
    },
  };
}

/**
 * Holds disposables and disposes them together, newest first (what was started last may depend on
 * what was started before it). One failing dispose() does not stop the others: every handle is
 * tried, then the errors are thrown together.
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Adds a handle and returns it. Adding to a store that is already disposed disposes the handle at
   * once: late starters (a timer armed during shutdown) must not outlive their owner.
   */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Forgets a handle without disposing it (its owner took it back). */
  delete(item: Disposable): void {
    this.items.delete(item);
  }

  /** Disposes everything held so far; the store stays usable. */
  clear(): void {
    const items = [...this.items].reverse();
    this.items.clear();
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
  }

  /** Disposes everything, and anything added later. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/**
 * A typed event source. Every listener hears every value, in order, even when one of them throws:
 * the errors are thrown together afterwards, so a faulty listener (a console panel) cannot stop a
 * command from reaching another (the router).
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): Disposable {
    // Wrapped so that the same function subscribed twice has two independent subscriptions.
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  }

  fire(values: readonly T[]): void {
    const errors: unknown[] = [];
    for (const value of values) {
      for (const listener of [...this.listeners]) {
        try {
          listener(value);
        } catch (err) {
          errors.push(err);
        }
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} listener call(s) failed`);
  }
}
