/**
 * The request side of the route fuzz cases (fuzzCases.ts): who calls (every role, nobody, bad
 * tokens of every kind), their headers, and bodies, query strings and path segments built from a
 * route's schema, near-valid or not JSON at all.
 */
import fc from 'fast-check'
import type { UserRecord } from '../../src/server/store/store.ts'
import { syncHeaders } from './helpers.ts'
import { HOSTILE_STRINGS, nearValid, readSchema, type Hints } from './schemaArbitrary.ts'

/** Who sends a request: a signed-in role, nobody, or someone holding a bad token. */
export const CALLERS = [
  'admin',
  'reporter',
  'viewer',
  'anonymous',
  'forged',
  'tampered',
  'expired',
  'deactivated',
  'odd',
] as const
export type Caller = (typeof CALLERS)[number]

export interface FuzzContext {
  users: Record<'admin' | 'reporter' | 'viewer' | 'otherReporter', UserRecord>
  /** Bearer tokens of the callers that have one. */
  tokens: Record<'admin' | 'reporter' | 'viewer' | 'tampered' | 'expired' | 'deactivated', string>
  /** Sessions that only the logout case uses up. */
  disposable: () => string
  /** Accounts the user-management cases may change freely. */
  targetIds: readonly string[]
}

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH'

export interface FuzzRequest {
  method: Method
  url: string
  headers: Record<string, string>
  payload?: string
  caller: Caller
}

export interface FuzzCase {
  request: fc.Arbitrary<FuzzRequest>
  /** Tables a 2xx answer may change; none for reads. */
  writes?: readonly string[]
  /** Tables a refusal changes by design (failed sign-ins are counted). */
  refusalWrites?: readonly string[]
  numRuns?: number
}

export const UNIT_CODES = ['99', '99019', '99022', '99025', '99001', '991', '99-STP', '42', '42001']
export const MONTHS = ['2025-03', '2025-08', '2025-09', '2024-12', '2099-01', '2019-12']
export const PRINTABLE = fc
  .string({ unit: 'binary-ascii', maxLength: 60 })
  .filter((s) => /^[\x20-\x7e]*$/.test(s))

function oddAuthorization(ctx: FuzzContext): fc.Arbitrary<string> {
  const admin = ctx.tokens.admin
  return fc.oneof(
    fc.constantFrom(
      'Basic YWRtaW46Y29ycmVjdCBob3JzZSBiYXR0ZXJ5',
      'Bearer',
      'Bearer ',
      `Token ${admin}`,
      `Bearer ${admin} ${admin}`,
      `Bearer ${admin},`,
      `Bearer "${admin}"`,
      `Bearer ${admin.slice(0, 42)}`,
      `Bearer ${admin}=`,
      `Bearer ${'A'.repeat(43)}`,
      `Bearer ${'-'.repeat(43)}`,
      `Digest username="admin"`,
    ),
    PRINTABLE.map((value) => `Bearer ${value}`),
  )
}

/** The Authorization header of `caller`, if it sends one. */
export function authorization(
  ctx: FuzzContext,
  caller: Caller,
): fc.Arbitrary<Record<string, string>> {
  const bearer = (token: string) => fc.constant({ authorization: `Bearer ${token}` })
  switch (caller) {
    case 'anonymous':
      return fc.constant({})
    case 'forged':
      return fc
        .stringMatching(/^[A-Za-z0-9_-]{43}$/)
        .map((token) => ({ authorization: `Bearer ${token}` }))
    case 'odd':
      return oddAuthorization(ctx).map((value) => ({ authorization: value }))
    default:
      return bearer(ctx.tokens[caller])
  }
}

const callerArb = fc.constantFrom(...CALLERS)

const versionHeaders = fc.oneof(
  { arbitrary: fc.constant(syncHeaders()), weight: 8 },
  {
    arbitrary: fc.constantFrom<Record<string, string>>(
      {},
      { 'x-sohoa-protocol': '0', 'x-sohoa-schema': '1' },
      { 'x-sohoa-protocol': '999999', 'x-sohoa-schema': '999999' },
      { 'x-sohoa-protocol': '1e3', 'x-sohoa-schema': '-1' },
      { 'x-sohoa-protocol': "3'; --", 'x-sohoa-schema': '1' },
    ),
    weight: 1,
  },
)

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '',
    ),
    weight: 1,
  },
)

export const junkBody = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,2', 'null', '"x"', '\u0000', '{"__proto__":{"role":"admin"}}'),
  PRINTABLE,
)

/** A JSON body from `schema` (near-valid), sometimes not JSON at all. */
export function body(schema: unknown, hints: Hints = {}): fc.Arbitrary<string> {
  return fc.oneof(
    {
      arbitrary: nearValid(readSchema(schema), hints).map(
        (value) => JSON.stringify(value) ?? 'null',
      ),
      weight: 12,
    },
    { arbitrary: junkBody, weight: 1 },
  )
}

/** A query string from `schema` (near-valid), with the odd repeated or raw parameter. */
export function query(schema: unknown, hints: Hints = {}): fc.Arbitrary<string> {
  const fromSchema = nearValid(readSchema(schema), hints).map((value) => {
    const params = new URLSearchParams()
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) {
        for (const one of Array.isArray(item) ? item : [item])
          params.append(key, typeof one === 'string' ? one : (JSON.stringify(one) ?? ''))
      }
    }
    return params.toString()
  })
  return fc.oneof(
    { arbitrary: fromSchema, weight: 8 },
    {
      arbitrary: fc.constantFrom('a=1&a=2', '__proto__[x]=1', '%', '%00', '&&&', 'cursor'),
      weight: 1,
    },
  )
}

/** Percent-encoded; an unpaired surrogate becomes the bytes of one, which are not valid UTF-8. */
function encodeSegment(segment: string): string {
  try {
    return encodeURIComponent(segment)
  } catch {
    return '%ED%A0%80'
  }
}

export const pathSegment = (valid: fc.Arbitrary<string>) =>
  fc
    .oneof(
      { arbitrary: valid, weight: 4 },
      { arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 500)), weight: 1 },
    )
    .map(encodeSegment)

export interface Shape {
  method: fc.Arbitrary<Method>
  url: (caller: Caller) => fc.Arbitrary<string>
  payload?: (caller: Caller) => fc.Arbitrary<string>
  sync?: boolean
  extraHeaders?: fc.Arbitrary<Record<string, string>>
  callers?: fc.Arbitrary<Caller>
}

export function requests(ctx: FuzzContext, shape: Shape): fc.Arbitrary<FuzzRequest> {
  return (shape.callers ?? callerArb).chain((caller) =>
    fc
      .record({
        method: shape.method,
        url: shape.url(caller),
        auth: authorization(ctx, caller),
        versions: shape.sync ? versionHeaders : fc.constant({}),
        extra: shape.extraHeaders ?? fc.constant({}),
        payload: shape.payload ? shape.payload(caller) : fc.constant(undefined),
        type: contentType,
      })
      .map(({ method, url, auth, versions, extra, payload, type }) => ({
        method,
        url,
        caller,
        headers: {
          ...versions,
          ...auth,
          ...extra,
          ...(payload === undefined || type === '' ? {} : { 'content-type': type }),
        },
        ...(payload === undefined ? {} : { payload }),
      })),
  )
}

export const get = fc.constantFrom<Method>('GET', 'HEAD')
export const post = fc.constant<Method>('POST')
export const fixed = (url: string) => () => fc.constant(url)
