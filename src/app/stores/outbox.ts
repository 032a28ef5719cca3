import { computed } from 'vue'
import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { pendingCount } from '../db/outbox.ts'
import { useLiveQuery } from '../composables/useLiveQuery.ts'
import { useSessionStore } from './session.ts'

/**
 * Changes saved on this device that the server has not acknowledged yet: the signed-in user's,
 * plus those made before anyone signed in (the next sign-in claims them). Another user's queued
 * changes are not counted; they wait for that user.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const session = useSessionStore()
  const userId = computed(() => session.user?.id ?? null)
  const { data: pending } = useLiveQuery(() => pendingCount(db, userId.value), {
    initial: 0,
    deps: [userId],
  })
  return { pending }
})
