/**
 * Subscribes a component or store to an IndexedDB query that re-runs whenever the tables it read
 * change, in this tab or another. Results land in a shallowRef because lists can be large.
 */
import {
  getCurrentScope,
  onScopeDispose,
  shallowRef,
  watch,
  type ShallowRef,
  type WatchSource,
} from 'vue'
import { observeQuery } from '../db/live.ts'

export interface UseLiveQueryReturn<T> {
  data: ShallowRef<T>
  error: ShallowRef<unknown>
  /** True until the first result of the current subscription arrives. */
  loading: ShallowRef<boolean>
}

export function useLiveQuery<T>(
  query: () => T | Promise<T>,
  options: { initial: T; deps?: WatchSource[] },
): UseLiveQueryReturn<T> {
  const data = shallowRef(options.initial) as ShallowRef<T>
  const error = shallowRef<unknown>(null)
  const loading = shallowRef(true)
  let unsubscribe: (() => void) | null = null

  function subscribe(): void {
    unsubscribe?.()
    loading.value = true
    const subscription = observeQuery(query).subscribe({
      next: (value) => {
        data.value = value
        error.value = null
        loading.value = false
      },
      error: (err: unknown) => {
        error.value = err
        loading.value = false
      },
    })
    unsubscribe = () => subscription.unsubscribe()
  }

  if (options.deps && options.deps.length > 0) watch(options.deps, subscribe, { immediate: true })
  else subscribe()

  if (getCurrentScope()) onScopeDispose(() => unsubscribe?.())
  return { data, error, loading }
}
