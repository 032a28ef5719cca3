/**
 * One fuzz case per API route (tests/server/fuzz.test.ts runs them and fails when a registered
 * route has none): how to build random requests for it from its schemas (fuzzRequests.ts), with
 * hints that let valid values reach the store, and which tables a successful answer may change.
 */
import fc from 'fast-check'
import {
  AuditQuerySchema,
  ImportRequestSchema,
  LoginRequestSchema,
  PullQuerySchema,
  PushRequestSchema,
} from '../../src/domain/sync/protocol.ts'
import { EventQuerySchema } from '../../src/server/routes/events.ts'
import {
  CreateUserSchema,
  PasswordResetSchema,
  UpdateUserSchema,
} from '../../src/server/routes/users.ts'
import {
  MONTHS,
  PRINTABLE,
  UNIT_CODES,
  body,
  fixed,
  get,
  junkBody,
  pathSegment,
  post,
  query,
  requests,
  type Caller,
  type FuzzCase,
  type FuzzContext,
  type Method,
} from './fuzzRequests.ts'
import { deviceOf, PASSWORD } from './helpers.ts'
import { HOSTILE_STRINGS, type Hints } from './schemaArbitrary.ts'

const isoTime = fc.oneof(
  fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    'not a time at all!!',
    '2025-09-28T03:00:00.000Z\u0000',
    '+275760-09-13T00:00:00.000Z',
  ),
)

/** Hints that make pushes reach the store: known units, plausible months, the caller's device. */
function pushHints(ctx: FuzzContext, caller: Caller): Hints {
  const own =
    caller === 'admin' || caller === 'reporter' || caller === 'viewer'
      ? ctx.users[caller]
      : ctx.users.admin
  return {
    deviceId: fc.constantFrom(
      deviceOf(own, 'fuzz-a'),
      deviceOf(own, 'fuzz-b'),
      deviceOf(ctx.users.otherReporter),
      'fuzz-install:nobody',
    ),
    id: fc.uuid(),
    unitCode: fc.constantFrom(...UNIT_CODES),
    month: fc.constantFrom(...MONTHS),
    createdAt: isoTime,
    year: fc.constantFrom(2025, 2026, 2031),
    resolves: fc.array(
      fc.oneof(fc.uuid(), fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length <= 100))),
      { maxLength: 2 },
    ),
  }
}

const USERNAMES = fc.constantFrom(
  'admin',
  'reporter',
  'viewer',
  'deactivated',
  'Admin ',
  'nobody',
  ...HOSTILE_STRINGS.filter((s) => s.length <= 100),
)
const unitCodes = fc.array(fc.constantFrom(...UNIT_CODES), { maxLength: 3 })
const IMPORT_NAMES = HOSTILE_STRINGS.filter((s) => s.length < 200)
const importContent = fc.oneof(
  fc.constantFrom(...IMPORT_NAMES).map((name) =>
    JSON.stringify([
      {
        Code: '42',
        FullName: `Tỉnh ${name}`,
        Wards: [{ Code: '42001', FullName: `Xã ${name}`, ProvinceCode: '42' }],
      },
    ]),
  ),
  fc
    .constantFrom(...IMPORT_NAMES)
    .map(
      (name) =>
        `Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\r\nTỉnh A,42,,,"Xã ${name.replaceAll('"', '""')}",42001,Xã\r\n`,
    ),
  fc.constant(
    JSON.stringify({ data: [{ level1_id: '42', merges: [{ old_id: '99', type: 'partial' }] }] }),
  ),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? ''),
  PRINTABLE,
)

/** Route → its fuzz case; keys are "METHOD path" as Fastify prints them. */
export const FUZZ_CASES: Record<string, (ctx: FuzzContext) => FuzzCase> = {
  'GET /api/health': (ctx) => ({
    request: requests(ctx, { method: get, url: fixed('/api/health') }),
  }),
  'POST /api/auth/login': (ctx) => ({
    request: requests(ctx, {
      method: post,
      url: fixed('/api/auth/login'),
      payload: () =>
        body(LoginRequestSchema, {
          username: USERNAMES,
          password: fc.constantFrom(
            PASSWORD,
            'wrong password',
            ...HOSTILE_STRINGS.filter((s) => s.length <= 200),
          ),
        }),
    }),
    writes: ['sessions', 'login_failures'],
    refusalWrites: ['login_failures'],
    // Unknown usernames cost a full-strength scrypt each (no user enumeration by timing).
    numRuns: 25,
  }),
  'POST /api/auth/logout': (ctx) => ({
    request: requests(ctx, {
      method: post,
      url: fixed('/api/auth/logout'),
      callers: fc.constantFrom<Caller>('anonymous', 'forged', 'odd', 'expired'),
      payload: () => fc.oneof(fc.constant(''), junkBody),
    }).chain((request) =>
      // Half of them sign out a session of their own, never one the other cases use.
      fc.boolean().map((own) =>
        own
          ? {
              ...request,
              headers: { ...request.headers, authorization: `Bearer ${ctx.disposable()}` },
            }
          : request,
      ),
    ),
    writes: ['sessions'],
  }),
  'GET /api/auth/me': (ctx) => ({
    request: requests(ctx, { method: get, url: fixed('/api/auth/me') }),
  }),
  'POST /api/sync/push': (ctx) => ({
    request: requests(ctx, {
      method: post,
      url: fixed('/api/sync/push'),
      sync: true,
      payload: (caller) => body(PushRequestSchema, pushHints(ctx, caller)),
    }),
    writes: [
      'ops',
      'devices',
      'entries',
      'entry_history',
      'conflicts',
      'counters',
      'targets',
      'reviews',
      'review_events',
    ],
    numRuns: 120,
  }),
  'GET /api/sync/pull': (ctx) => ({
    request: requests(ctx, {
      method: get,
      sync: true,
      url: () =>
        query(PullQuerySchema, { cursor: fc.constantFrom('0', '3', '999999999999999999') }).map(
          (q) => `/api/sync/pull?${q}`,
        ),
    }),
  }),
  'GET /api/sync/targets': (ctx) => ({
    request: requests(ctx, { method: get, sync: true, url: fixed('/api/sync/targets') }),
  }),
  'GET /api/units': (ctx) => ({
    request: requests(ctx, {
      method: get,
      url: fixed('/api/units'),
      extraHeaders: fc.oneof(
        fc.constant({}),
        fc.constantFrom('*', 'W/"x", "y"', ',,,', '"').map((tag) => ({ 'if-none-match': tag })),
      ),
    }),
  }),
  'GET /api/events': (ctx) => ({
    request: requests(ctx, {
      method: get,
      url: () =>
        query(EventQuerySchema, {
          token: fc.constantFrom(ctx.tokens.viewer, ctx.tokens.expired, 'x', ''),
        }).map((q) => `/api/events?${q}`),
    }),
  }),
  'GET /api/users': (ctx) => ({
    request: requests(ctx, { method: get, url: fixed('/api/users') }),
  }),
  'POST /api/users': (ctx) => ({
    request: requests(ctx, {
      method: post,
      url: fixed('/api/users'),
      payload: () =>
        body(CreateUserSchema, {
          username: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{2,20}$/), USERNAMES),
          unitCodes,
          password: fc.constantFrom(
            'a long enough password',
            'short',
            ' padded password ',
            ...HOSTILE_STRINGS.filter((s) => s.length <= 200),
          ),
        }),
    }),
    writes: ['users', 'audit_log', 'counters'],
  }),
  'PATCH /api/users/:id': (ctx) => ({
    request: requests(ctx, {
      method: fc.constant<Method>('PATCH'),
      url: () =>
        pathSegment(fc.constantFrom(...ctx.targetIds, ctx.users.admin.id)).map(
          (id) => `/api/users/${id}`,
        ),
      payload: () => body(UpdateUserSchema, { unitCodes }),
    }),
    writes: ['users', 'audit_log', 'counters', 'sessions'],
  }),
  'POST /api/users/:id/password': (ctx) => ({
    request: requests(ctx, {
      method: post,
      url: () =>
        pathSegment(fc.constantFrom(...ctx.targetIds)).map((id) => `/api/users/${id}/password`),
      payload: () =>
        body(PasswordResetSchema, {
          password: fc.constantFrom(
            'a long enough password',
            'short',
            ...HOSTILE_STRINGS.filter((s) => s.length <= 200),
          ),
        }),
    }),
    writes: ['users', 'audit_log', 'counters', 'sessions'],
  }),
  'GET /api/history/:unitCode/:month': (ctx) => ({
    request: requests(ctx, {
      method: get,
      url: () =>
        fc
          .tuple(
            pathSegment(fc.constantFrom(...UNIT_CODES)),
            pathSegment(fc.constantFrom(...MONTHS)),
          )
          .map(([unit, month]) => `/api/history/${unit}/${month}`),
    }),
  }),
  'POST /api/admin/units/import': (ctx) => ({
    request: requests(ctx, {
      method: post,
      url: fixed('/api/admin/units/import'),
      payload: () =>
        body(ImportRequestSchema, {
          content: importContent,
          // A list "as of" a date far ahead closes nothing the other cases rely on.
          effectiveDate: fc.constantFrom('2099-01-01', '2098-02-30', '2099-13-01'),
          fileName: fc.constantFrom('units.json', ...IMPORT_NAMES),
        }),
    }),
    writes: ['units', 'unit_links', 'audit_log', 'counters'],
  }),
  'GET /api/admin/audit': (ctx) => ({
    request: requests(ctx, {
      method: get,
      url: () => query(AuditQuerySchema).map((q) => `/api/admin/audit?${q}`),
    }),
  }),
}
