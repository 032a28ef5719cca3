/**
 * Review of a month's report, as supervisors sign off paper reports: the commune submits, its
 * district or province accepts it or returns it with a comment; an accepted month is locked until
 * someone reopens it. Pure: the server decides with these rules, the app shows what is allowed.
 */

/** No review row means the month was never submitted (state "draft"). */
export const REVIEW_STATES = ['draft', 'submitted', 'returned', 'accepted'] as const
export type ReviewState = (typeof REVIEW_STATES)[number]

export const REVIEW_ACTIONS = ['submit', 'return', 'accept', 'reopen'] as const
export type ReviewAction = (typeof REVIEW_ACTIONS)[number]

/** Who acts: the unit's own reporter, or a supervisor (a viewer whose scope holds the unit, or an admin). */
export type ReviewActor = 'reporter' | 'supervisor'

export const REVIEW_COMMENT_MAX_LENGTH = 500

export interface Review {
  unitCode: string
  month: string
  state: Exclude<ReviewState, 'draft'>
  /** The supervisor's comment when returned (required then), optional otherwise. */
  comment: string
  /** Username of whoever made the last transition, and when (ISO). */
  updatedBy: string
  updatedAt: string
}

const TRANSITIONS: Record<
  ReviewAction,
  { from: readonly ReviewState[]; to: Review['state']; by: ReviewActor }
> = {
  // A returned month is corrected and submitted again.
  submit: { from: ['draft', 'returned'], to: 'submitted', by: 'reporter' },
  return: { from: ['submitted'], to: 'returned', by: 'supervisor' },
  accept: { from: ['submitted'], to: 'accepted', by: 'supervisor' },
  // Reopening an accepted month unlocks it for corrections; the commune submits it again after.
  reopen: { from: ['accepted'], to: 'returned', by: 'supervisor' },
}

export type ReviewRefusal = 'notAllowed' | 'wrongState' | 'commentRequired' | 'commentTooLong'

/**
 * The state after `action`, or why it is refused. A return needs a comment, so the commune knows
 * what to correct.
 */
export function reviewTransition(
  current: ReviewState,
  action: ReviewAction,
  actor: ReviewActor,
  comment: string,
): { state: Review['state'] } | { refused: ReviewRefusal } {
  const rule = TRANSITIONS[action]
  if (rule.by !== actor) return { refused: 'notAllowed' }
  if (!rule.from.includes(current)) return { refused: 'wrongState' }
  if (comment.length > REVIEW_COMMENT_MAX_LENGTH) return { refused: 'commentTooLong' }
  if ((action === 'return' || action === 'reopen') && comment.trim() === '')
    return { refused: 'commentRequired' }
  return { state: rule.to }
}

/** An accepted month is locked: its figures cannot change until it is reopened. */
export function isLocked(state: ReviewState): boolean {
  return state === 'accepted'
}
