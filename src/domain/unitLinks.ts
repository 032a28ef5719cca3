/**
 * Links between units across a reorganization: on 2025-07-01 each new commune (and province) was
 * formed from old ones, each contributing `full`ly (the whole old unit went in) or `partial`ly (only
 * part of it did). A new unit's history before the date is the sum of its predecessors; a partial
 * predecessor's figures cannot be divided, so such a sum is approximate and is always marked so.
 */

export const LINK_KINDS = ['full', 'partial'] as const
export type LinkKind = (typeof LINK_KINDS)[number]

export interface UnitLink {
  /** The unit that exists from `date` on. */
  newCode: string
  /** A unit that existed until `date` and went (wholly or partly) into `newCode`. */
  oldCode: string
  kind: LinkKind
  /** ISO date the reorganization took effect (the new unit's validFrom). */
  date: string
}

/** Stable key of a link; a re-import of the same mapping writes the same keys. */
export function linkKey(link: Pick<UnitLink, 'newCode' | 'oldCode' | 'date'>): string {
  return `${link.date}/${link.newCode}/${link.oldCode}`
}
