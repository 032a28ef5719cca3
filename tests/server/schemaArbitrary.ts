/**
 * fast-check arbitraries derived from the API's JSON schemas (TypeBox emits plain JSON Schema):
 * values that pass the schema, and near-valid ones that break it in one place or a few — a wrong
 * type, a number just past its bound, a string one character too long, a missing or extra key, a
 * prototype key, hostile text. `hints` replace the generic value of a named property anywhere in
 * the tree (a unit code the store knows, a device id of the caller), so valid values get past the
 * schema and reach the handlers and the store.
 */
import fc from 'fast-check'

/** The subset of JSON Schema TypeBox produces for this API. */
export interface JsonSchema {
  type?: string
  const?: unknown
  anyOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean
  minProperties?: number
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
}

export type Hints = Readonly<Record<string, fc.Arbitrary<unknown>>>

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

/** Reads a schema object (a TypeBox schema or any JSON Schema literal) into JsonSchema. */
export function readSchema(value: unknown): JsonSchema {
  if (!isObject(value)) return {}
  const schema: JsonSchema = {}
  if (typeof value.type === 'string') schema.type = value.type
  if ('const' in value) schema.const = value.const
  if (Array.isArray(value.anyOf)) schema.anyOf = value.anyOf.map(readSchema)
  if (isObject(value.properties)) {
    schema.properties = Object.fromEntries(
      Object.entries(value.properties).map(([key, sub]) => [key, readSchema(sub)]),
    )
  }
  if (Array.isArray(value.required)) schema.required = value.required.map(String)
  if (typeof value.additionalProperties === 'boolean')
    schema.additionalProperties = value.additionalProperties
  if (value.items !== undefined) schema.items = readSchema(value.items)
  if (typeof value.pattern === 'string') schema.pattern = value.pattern
  for (const key of [
    'minProperties',
    'minItems',
    'maxItems',
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'exclusiveMinimum',
  ] as const) {
    const bound = num(value[key])
    if (bound !== undefined) schema[key] = bound
  }
  return schema
}

/**
 * Text that has broken servers: SQL and LIKE metacharacters, HTML and script, NUL and other control
 * characters, unpaired surrogates, right-to-left and zero-width marks, formula prefixes, very long.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "'; DROP TABLE entries; --",
  "' OR '1'='1",
  '" OR ""="',
  '\\',
  '\\x00\\',
  '%_',
  '%',
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '\ud800',
  'x\udc00y',
  '\u202eRTL\u202c',
  '\u200b\u200d\ufeff',
  '𝕏😀👨‍👩‍👧',
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '=HYPERLINK("http://evil")',
  '+1-1',
  '@SUM(A1)',
  '$(touch /tmp/pwned)',
  '../../etc/passwd',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '9'.repeat(400),
  'x'.repeat(70_000),
  '  padded  ',
  'Xã Hòa Bình',
  'Xa\u0303 Ho\u0300a Bi\u0300nh',
]

/** Any JSON value, small. */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 })

const WRONG_VALUES: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, '', 'x', [], {}, [null], { a: 1 }),
  anyJson,
)

function hostileString(schema: JsonSchema): fc.Arbitrary<string> {
  const lengths: string[] = []
  if (schema.maxLength !== undefined) lengths.push('y'.repeat(schema.maxLength + 1))
  if (schema.minLength !== undefined && schema.minLength > 0)
    lengths.push('y'.repeat(schema.minLength - 1))
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS, ...lengths),
    fc.string({ unit: 'binary', maxLength: 40 }),
  )
}

function hostileNumber(schema: JsonSchema): fc.Arbitrary<unknown> {
  const near: number[] = [2 ** 31, 2 ** 53 + 2, 1e308, -1e308, -0, 0.5]
  const { minimum, maximum, exclusiveMinimum } = schema
  if (minimum !== undefined) near.push(minimum - 1, minimum - 0.5)
  if (maximum !== undefined) near.push(maximum + 1, maximum + 0.5)
  if (exclusiveMinimum !== undefined) near.push(exclusiveMinimum)
  return fc.oneof(fc.constantFrom<unknown>(...near), fc.constantFrom<unknown>('1', '1e3', null))
}

/** Sets `key` as an own, enumerable property even when it is `__proto__`. */
function withKey(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
  return target
}

function hostileObject(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const base = validValue(schema, hints)
  const required = schema.required ?? []
  const extraKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'userId', 'x')
  return fc.oneof(
    // An extra key, prototype keys included.
    fc
      .tuple(base, extraKey, anyJson)
      .map(([value, key, extra]) => (isObject(value) ? withKey({ ...value }, key, extra) : value)),
    // A required key missing.
    ...(required.length > 0
      ? [
          fc.tuple(base, fc.constantFrom(...required)).map(([value, key]) => {
            if (!isObject(value)) return value
            const copy = { ...value }
            delete copy[key]
            return copy
          }),
        ]
      : []),
  )
}

function hostileArray(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const item = schema.items ?? {}
  const options: fc.Arbitrary<unknown>[] = [fc.constant([])]
  if (schema.maxItems !== undefined && schema.maxItems < 2000) {
    options.push(
      validValue(item, hints).map((value) =>
        Array.from({ length: (schema.maxItems ?? 0) + 1 }, () => value),
      ),
    )
  }
  options.push(fc.array(WRONG_VALUES, { minLength: 1, maxLength: 3 }))
  return fc.oneof(...options)
}

/** A value breaking `schema` at its own level (its children may still be valid). */
function brokenValue(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const specific: fc.Arbitrary<unknown>[] = []
  if (schema.type === 'string') specific.push(hostileString(schema))
  if (schema.type === 'integer' || schema.type === 'number') specific.push(hostileNumber(schema))
  if (schema.type === 'object') specific.push(hostileObject(schema, hints))
  if (schema.type === 'array') specific.push(hostileArray(schema, hints))
  if (schema.const !== undefined) specific.push(fc.constantFrom<unknown>('other', null))
  return fc.oneof(
    { arbitrary: WRONG_VALUES, weight: 1 },
    ...specific.map((a) => ({ arbitrary: a, weight: 3 })),
  )
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern)
    return fc.stringMatching(pattern).filter((value) => {
      const length = [...value].length
      return (
        length >= (schema.minLength ?? 0) &&
        length <= (schema.maxLength ?? Number.POSITIVE_INFINITY)
      )
    })
  }
  const minLength = schema.minLength ?? 0
  const maxLength = Math.min(schema.maxLength ?? 60, 60)
  return fc.oneof(
    fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }),
    fc
      .constantFrom(...HOSTILE_STRINGS)
      .filter(
        (value) =>
          value.length >= minLength &&
          value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY),
      ),
  )
}

function validNumber(schema: JsonSchema): fc.Arbitrary<number> {
  const min =
    schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e6 : schema.exclusiveMinimum)
  const max = schema.maximum ?? 1e9
  if (schema.type === 'integer') {
    const low = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER)
    const high = Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER)
    return fc.oneof(
      fc.constantFrom(low, high),
      fc.integer({ min: low, max: Math.min(high, 2 ** 31 - 1) }),
    )
  }
  return fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter((value) => schema.exclusiveMinimum === undefined || value > schema.exclusiveMinimum)
}

function validObject(schema: JsonSchema, hints: Hints, mutate: boolean): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {}
  const required = new Set(schema.required ?? [])
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [key, sub] of Object.entries(properties)) {
    model[key] = mutate ? nearValid(sub, hints, key) : valueFor(sub, hints, key)
  }
  const requiredKeys = Object.keys(properties).filter((key) => required.has(key))
  return fc
    .record(model, { requiredKeys })
    .filter((value) => Object.keys(value).length >= (schema.minProperties ?? 0))
}

function valueFor(schema: JsonSchema, hints: Hints, key?: string): fc.Arbitrary<unknown> {
  const hint = key === undefined ? undefined : hints[key]
  return hint ?? validValue(schema, hints)
}

/** Values that pass `schema` (with `hints` for named properties). */
export function validValue(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => validValue(option, hints)))
  if (schema.const !== undefined) return fc.constant(schema.const)
  switch (schema.type) {
    case 'string':
      return validString(schema)
    case 'integer':
    case 'number':
      return validNumber(schema)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(validValue(schema.items ?? {}, hints), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      })
    case 'object':
      return validObject(schema, hints, false)
    default:
      return anyJson
  }
}

/**
 * Mostly-valid values of `schema` with, at random nodes, a broken value instead: most requests get
 * past the outer checks and fail (or pass) deep inside.
 */
export function nearValid(
  schema: JsonSchema,
  hints: Hints = {},
  key?: string,
): fc.Arbitrary<unknown> {
  let structural: fc.Arbitrary<unknown>
  if (schema.anyOf) {
    structural = fc.oneof(...schema.anyOf.map((option) => nearValid(option, hints)))
  } else if (schema.type === 'object') {
    structural = validObject(schema, hints, true)
  } else if (schema.type === 'array') {
    structural = fc.array(nearValid(schema.items ?? {}, hints), {
      minLength: schema.minItems ?? 0,
      maxLength: Math.min(schema.maxItems ?? 4, 4),
    })
  } else {
    structural = valueFor(schema, hints, key)
  }
  return fc.oneof(
    { arbitrary: structural, weight: 8 },
    { arbitrary: brokenValue(schema, hints), weight: 1 },
  )
}
