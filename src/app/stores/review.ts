import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { isQuotaError } from '../db/errors.ts'
import { getInstallId } from '../db/meta.ts'
import { ReviewRefusedError, reviewMonth, type ReviewRefusedReason } from '../db/reviews.ts'
import { getSession } from '../db/session.ts'
import { unitByCode } from '../db/units.ts'
import type { Month } from '../../domain/periods.ts'
import type { ReviewAction, ReviewActor } from '../../domain/review.ts'
import type { Role } from '../../domain/sync/protocol.ts'
import { useSyncStore } from './sync.ts'

export type ReviewFailure = ReviewRefusedReason | 'signedOut' | 'quota' | 'unknown'

export type ReviewResult = { ok: true } | { ok: false; reason: ReviewFailure }

/**
 * The part `user` plays in reviewing `unitCode`, or null when it plays none: a reporter reviews
 * (submits) only their own units; a viewer supervises the units under its scope (`inScope` tells);
 * an admin does both, submitting as the reporter and deciding as a supervisor.
 */
export function reviewActorFor(
  user: { role: Role; unitCodes: readonly string[] },
  unitCode: string,
  action: ReviewAction,
  inScope: boolean,
): ReviewActor | null {
  if (user.role === 'admin') return action === 'submit' ? 'reporter' : 'supervisor'
  if (user.role === 'reporter') return user.unitCodes.includes(unitCode) ? 'reporter' : null
  return inScope ? 'supervisor' : null
}

/** Whether `unitCode` or one of its parents (as stored on this phone) is one of `roots`. */
async function underAny(
  roots: readonly string[],
  unitCode: string,
  month: Month,
): Promise<boolean> {
  let code: string | null = unitCode
  // A few levels at most; the bound guards against a cycle in a damaged list.
  for (let depth = 0; code !== null && depth < 8; depth++) {
    if (roots.includes(code)) return true
    code = (await unitByCode(db, code, month))?.parentCode ?? null
  }
  return false
}

/**
 * Reviewing months: the commune submits, its supervisor accepts or returns (with a comment) and
 * may reopen an accepted month. The action is refused here when the rules refuse it; otherwise it
 * shows at once and goes out with the next sync. Failures come back as reasons, not throws.
 */
export const useReviewStore = defineStore('review', () => {
  async function act(
    unitCode: string,
    month: Month,
    action: ReviewAction,
    comment = '',
  ): Promise<ReviewResult> {
    try {
      const session = await getSession(db)
      if (session === null) return { ok: false, reason: 'signedOut' }
      const { user } = session
      const inScope = user.role === 'viewer' && (await underAny(user.unitCodes, unitCode, month))
      const actor = reviewActorFor(user, unitCode, action, inScope)
      if (actor === null) return { ok: false, reason: 'notAllowed' }
      const author = {
        deviceId: await getInstallId(db),
        userId: user.id,
        username: user.username,
      }
      await reviewMonth(db, { unitCode, month, action, comment }, author, actor)
      useSyncStore().nudge()
      return { ok: true }
    } catch (error) {
      if (error instanceof ReviewRefusedError) return { ok: false, reason: error.reason }
      if (isQuotaError(error)) return { ok: false, reason: 'quota' }
      return { ok: false, reason: 'unknown' }
    }
  }

  return { act }
})
