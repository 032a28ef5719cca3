/**
 * A FIFO lock for async code. SQLite has one write connection, and a transaction on it spans await
 * points (the shared store logic is async), so two transactions must never interleave on it.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve()

  /** Runs `fn` once every earlier caller has finished, whether they succeeded or threw. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn)
    this.tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}
