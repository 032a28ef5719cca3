import type { NewSession } from '../../../src/app/db/session.ts'

/** A reporter's session for `userId`, as the server's login would give it. */
export function makeSession(userId: string, token = `token-${userId}`): NewSession {
  return {
    token,
    expiresAt: '2025-07-01T00:00:00.000Z',
    user: {
      id: userId,
      username: userId,
      displayName: `Cán bộ ${userId}`,
      role: 'reporter',
      unitCodes: ['00004'],
    },
  }
}
