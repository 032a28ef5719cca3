/**
 * A device stream belongs to one user. The app sends `deviceId = <installId>:<userId>`, so a second
 * official signing in on the same phone starts a stream of its own and never sends the first one's
 * queued changes under its name. The binding is read from the id itself: no table to keep in step
 * across instances, and a stream can never change hands. (User ids are UUIDs, without a colon.)
 */

const SEPARATOR = ':'

/** Whether `deviceId` names a stream of the user `userId`. */
export function deviceBelongsTo(deviceId: string, userId: string): boolean {
  const suffix = `${SEPARATOR}${userId}`
  return userId.length > 0 && deviceId.length > suffix.length && deviceId.endsWith(suffix)
}
