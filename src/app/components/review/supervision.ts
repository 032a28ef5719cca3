import type { SessionUser } from '../../../domain/sync/protocol.ts'
import type { Unit } from '../../../domain/units.ts'

/**
 * What `user` may do with `unitCode`'s review, as far as this phone can tell (the server decides):
 * its reporter submits; a viewer whose scope holds the unit, or an admin, supervises.
 */
export function reviewRoles(
  user: Pick<SessionUser, 'role' | 'unitCodes'> | null,
  unitCode: string,
  units: readonly Pick<Unit, 'code' | 'parentCode'>[],
): { canSubmit: boolean; canSupervise: boolean } {
  if (user === null) return { canSubmit: false, canSupervise: false }
  if (user.role === 'admin') return { canSubmit: true, canSupervise: true }
  if (user.role === 'reporter')
    return { canSubmit: user.unitCodes.includes(unitCode), canSupervise: false }
  let code: string | null = unitCode
  // A few levels at most; the bound guards against a cycle in a damaged list.
  for (let depth = 0; code !== null && depth < 8; depth++) {
    if (user.unitCodes.includes(code)) return { canSubmit: false, canSupervise: true }
    const current: string = code
    code = units.find((unit) => unit.code === current)?.parentCode ?? null
  }
  return { canSubmit: false, canSupervise: false }
}
