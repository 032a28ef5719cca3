/** No 0/O, 1/l/I: the password is read off a screen and typed on a phone. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A random initial password, made in the browser (the server never has to send one back). */
export function generatePassword(length = 14, random: Crypto = globalThis.crypto): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 56).
  const limit = 256 - (256 % ALPHABET.length)
  let password = ''
  while (password.length < length) {
    for (const byte of random.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && password.length < length) password += ALPHABET[byte % ALPHABET.length]
    }
  }
  return password
}

/** The server's password policy, checked before sending so the message can be Vietnamese. */
export function passwordOk(password: string): boolean {
  return password.length >= 10 && password.length <= 200 && password.trim() === password
}

/** The server's username rule, after folding to lower case. */
export function usernameOk(username: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{2,49}$/.test(username.trim().toLowerCase())
}
