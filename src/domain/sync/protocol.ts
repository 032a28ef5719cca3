/**
 * The sync wire contract, declared once: the server's routes validate against these schemas and the
 * client's transport is typed by them. docs/sync.md explains the protocol in prose.
 *
 * Versioning: every request carries PROTOCOL_VERSION and SCHEMA_VERSION (headers below). A server
 * answers a client older than MIN_PROTOCOL_VERSION with 426 and a problem+json of type
 * `client-too-old`; the client keeps its outbox and asks the user to update.
 */
import { Type, type Static } from 'typebox'
import { MAX_COUNT } from '../format.ts'
import { MAX_BASIS_POINTS, MAX_TARGET_POINTS } from '../targets.ts'

/**
 * 2: `target.put` ops, GET /api/sync/targets and `reportedAt` on changes. Version 1 clients send
 * only entry ops and ignore the new field, so they keep working.
 */
export const PROTOCOL_VERSION = 2
export const MIN_PROTOCOL_VERSION = 1
/** Version of the data model carried in ops and changes (entry fields). */
export const SCHEMA_VERSION = 1

export const HEADER_PROTOCOL = 'x-sohoa-protocol'
export const HEADER_SCHEMA = 'x-sohoa-schema'

/** Largest batch a push may carry, and the largest page a pull returns. */
export const MAX_PUSH_OPS = 200
export const MAX_PULL_LIMIT = 1000
export const DEFAULT_PULL_LIMIT = 500

export const MonthSchema = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })
export const UnitCodeSchema = Type.String({ pattern: '^\\d{2,5}(-[A-Z0-9]{2,12})?$' })
const Count = Type.Integer({ minimum: 0, maximum: MAX_COUNT })
const IsoTime = Type.String({ minLength: 20, maxLength: 40 })
const Uuid = Type.String({ pattern: '^[0-9a-fA-F-]{36}$' })
export const DeviceIdSchema = Type.String({ pattern: '^[A-Za-z0-9_:-]{8,100}$' })

/** Counts as sent on the wire; every element optional (not reported), no other keys. */
export const CountsSchema = Type.Object(
  {
    received: Type.Optional(Count),
    digitized: Type.Optional(Count),
    resolved: Type.Optional(Count),
    eResults: Type.Optional(Count),
    reused: Type.Optional(Count),
    online: Type.Optional(Count),
  },
  { additionalProperties: false },
)

export const NOTE_MAX_LENGTH = 500

// ---- auth -------------------------------------------------------------------------------------

export const RoleSchema = Type.Union([
  Type.Literal('reporter'),
  Type.Literal('viewer'),
  Type.Literal('admin'),
])
export type Role = Static<typeof RoleSchema>

export const LoginRequestSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
)
export type LoginRequest = Static<typeof LoginRequestSchema>

export const SessionUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  /** Reporter: the units it writes. Viewer: the roots of the subtrees it reads. Admin: empty. */
  unitCodes: Type.Array(Type.String()),
})
export type SessionUser = Static<typeof SessionUserSchema>

export const LoginResponseSchema = Type.Object({
  token: Type.String(),
  expiresAt: IsoTime,
  user: SessionUserSchema,
})
export type LoginResponse = Static<typeof LoginResponseSchema>

// ---- push -------------------------------------------------------------------------------------

export const EntryPutOpSchema = Type.Object(
  {
    /** Unique per op; the server's idempotency key. */
    id: Uuid,
    /** Per-device order; strictly increasing within one device's stream. */
    seq: Type.Integer({ minimum: 1 }),
    kind: Type.Literal('entry.put'),
    unitCode: UnitCodeSchema,
    month: MonthSchema,
    counts: CountsSchema,
    note: Type.String({ maxLength: NOTE_MAX_LENGTH }),
    /** Server version the edit was based on; null if the device never had this entry from the server. */
    baseVersion: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    /** Open conflicts on this entry the author has seen and settles with these values. */
    resolves: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
    createdAt: IsoTime,
  },
  { additionalProperties: false },
)
export type EntryPutOp = Static<typeof EntryPutOpSchema>

export const IndicatorIdSchema = Type.Union([
  Type.Literal('digitization'),
  Type.Literal('online'),
  Type.Literal('reuse'),
  Type.Literal('eResults'),
])
export const GovernmentLevelSchema = Type.Union([
  Type.Literal('province'),
  Type.Literal('district'),
  Type.Literal('commune'),
])
const TargetYear = Type.Integer({ minimum: 2000, maximum: 2100 })
const BasisPoints = Type.Integer({ minimum: 0, maximum: MAX_BASIS_POINTS })
const TargetPoints = Type.Number({ exclusiveMinimum: 0, maximum: MAX_TARGET_POINTS })

/** Sets one target (src/domain/targets.ts); the latest to arrive wins. */
export const TargetPutOpSchema = Type.Object(
  {
    id: Uuid,
    seq: Type.Integer({ minimum: 1 }),
    kind: Type.Literal('target.put'),
    indicator: IndicatorIdSchema,
    year: TargetYear,
    /** The unit the target is set on; null: nationwide (admin only). */
    unitCode: Type.Union([UnitCodeSchema, Type.Null()]),
    /** A default for units of this level under `unitCode`; null: an override on the unit itself. */
    level: Type.Union([GovernmentLevelSchema, Type.Null()]),
    basisPoints: BasisPoints,
    maxPoints: TargetPoints,
    createdAt: IsoTime,
  },
  { additionalProperties: false },
)
export type TargetPutOp = Static<typeof TargetPutOpSchema>

export const OpSchema = Type.Union([EntryPutOpSchema, TargetPutOpSchema])
export type Op = EntryPutOp | TargetPutOp

export const PushRequestSchema = Type.Object(
  {
    deviceId: DeviceIdSchema,
    ops: Type.Array(OpSchema, { minItems: 1, maxItems: MAX_PUSH_OPS }),
  },
  { additionalProperties: false },
)
export type PushRequest = Static<typeof PushRequestSchema>

/** Why the server refused an op. The op is still acknowledged: a refusal never blocks the queue. */
export const RejectReasonSchema = Type.Union([
  Type.Literal('forbidden'),
  Type.Literal('unknownUnit'),
  Type.Literal('unitNotActive'),
  Type.Literal('futureMonth'),
  Type.Literal('invalid'),
  Type.Literal('locked'),
])
export type RejectReason = Static<typeof RejectReasonSchema>

export const ConflictSchema = Type.Object({
  id: Type.String(),
  unitCode: Type.String(),
  month: MonthSchema,
  /** A data element, or `note`. */
  field: Type.String(),
  /** The value that lost: kept here until someone resolves the conflict. */
  value: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  /** The value that won and is current. */
  currentValue: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  /** Who wrote the losing value, and when. */
  author: Type.String(),
  authoredAt: IsoTime,
  /** Who wrote the winning value. */
  winner: Type.String(),
  createdAt: IsoTime,
})
export type Conflict = Static<typeof ConflictSchema>

export const OpResultSchema = Type.Union([
  Type.Object({
    id: Uuid,
    seq: Type.Integer(),
    status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate')]),
    version: Type.Integer(),
  }),
  Type.Object({
    id: Uuid,
    seq: Type.Integer(),
    status: Type.Literal('conflict'),
    version: Type.Integer(),
    conflicts: Type.Array(ConflictSchema),
  }),
  Type.Object({
    id: Uuid,
    seq: Type.Integer(),
    status: Type.Literal('rejected'),
    reason: RejectReasonSchema,
    detail: Type.String(),
  }),
])
export type OpResult = Static<typeof OpResultSchema>

export const PushResponseSchema = Type.Object({
  results: Type.Array(OpResultSchema),
  /** Highest seq of this device the server has acknowledged (applied, duplicate, conflict or rejected). */
  ackSeq: Type.Integer({ minimum: 0 }),
})
export type PushResponse = Static<typeof PushResponseSchema>

// ---- pull -------------------------------------------------------------------------------------

export const PullQuerySchema = Type.Object(
  {
    /** Opaque to clients: the `cursor` of the previous page, or "0" to start. */
    cursor: Type.String({ pattern: '^\\d{1,18}$' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PULL_LIMIT })),
  },
  { additionalProperties: false },
)
export type PullQuery = Static<typeof PullQuerySchema>

export const EntryChangeSchema = Type.Object({
  unitCode: Type.String(),
  month: MonthSchema,
  counts: CountsSchema,
  note: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  updatedAt: IsoTime,
  updatedBy: Type.String(),
  /** Open conflicts on this entry; empty when there are none. */
  conflicts: Type.Array(ConflictSchema),
  /**
   * When the unit first reported this month (the authored time of the op that created the entry);
   * null when unknown. Absent from servers before protocol 2.
   */
  reportedAt: Type.Optional(Type.Union([IsoTime, Type.Null()])),
})
export type EntryChange = Static<typeof EntryChangeSchema>

export const PullResponseSchema = Type.Object({
  changes: Type.Array(EntryChangeSchema),
  cursor: Type.String(),
  /** More changes wait after `cursor`: pull again at once. */
  more: Type.Boolean(),
  /** Roughly how many changes are left after this page, for progress bars. */
  remaining: Type.Integer({ minimum: 0 }),
})
export type PullResponse = Static<typeof PullResponseSchema>

// ---- targets ----------------------------------------------------------------------------------

export const TargetSchema = Type.Object({
  indicator: IndicatorIdSchema,
  year: TargetYear,
  unitCode: Type.Union([Type.String(), Type.Null()]),
  level: Type.Union([GovernmentLevelSchema, Type.Null()]),
  basisPoints: BasisPoints,
  maxPoints: TargetPoints,
  updatedAt: IsoTime,
  updatedBy: Type.String(),
})

/** GET /api/sync/targets: every target the user may read (see docs/sync.md). */
export const TargetsResponseSchema = Type.Object({ targets: Type.Array(TargetSchema) })
export type TargetsResponse = Static<typeof TargetsResponseSchema>

// ---- units ------------------------------------------------------------------------------------

export const UnitSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Optional(Type.String()),
  kind: Type.Union([
    Type.Literal('province'),
    Type.Literal('district'),
    Type.Literal('commune'),
    Type.Literal('office'),
  ]),
  type: Type.String(),
  level: Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
})

export const UnitsResponseSchema = Type.Object({ units: Type.Array(UnitSchema) })

// ---- errors -----------------------------------------------------------------------------------

/** RFC 9457 problem details; `type` is one of PROBLEM_TYPES. */
export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
})
export type Problem = Static<typeof ProblemSchema>

export const PROBLEM_TYPES = {
  badRequest: '/problems/bad-request',
  unauthorized: '/problems/unauthorized',
  sessionExpired: '/problems/session-expired',
  forbidden: '/problems/forbidden',
  notFound: '/problems/not-found',
  tooManyRequests: '/problems/too-many-requests',
  clientTooOld: '/problems/client-too-old',
  payloadTooLarge: '/problems/payload-too-large',
  internal: '/problems/internal',
} as const
