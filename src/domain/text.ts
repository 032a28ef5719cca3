/**
 * Text that both databases store exactly as sent. PostgreSQL refuses U+0000 in TEXT, and both
 * drivers encode to UTF-8, which turns an unpaired UTF-16 surrogate into U+FFFD: such text would
 * fail on one backend and come back changed on the other, so it is refused everywhere instead.
 */

/** In unicode mode a surrogate pair is one code point above U+FFFF: only unpaired halves match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** Whether `value` round-trips through either store unchanged. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value)
}
