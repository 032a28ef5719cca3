/** Runs tasks with a bounded number in flight, as a crowd of devices on one server would. */

/**
 * Calls `task` for every item, at most `concurrency` at a time, in order of the items; rejects with
 * the first failure once the tasks in flight have settled.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      const item = items[index]
      if (item !== undefined) await task(item, index)
    }
  }
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, worker)
  const results = await Promise.allSettled(workers)
  const failed = results.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
}
