/** Server instances for the load tests, each in a child process running server.ts. */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ROOT } from '../../e2e/harness.ts'
import { target, type Target } from './http.ts'

const SCRIPT = fileURLToPath(new URL('./server.ts', import.meta.url))
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000

export interface Instance {
  child: ChildProcess
  target: Target
}

/** Where the instances find their database: an SQLite directory or a PostgreSQL schema. */
export type InstanceDb = { dataDir: string } | { databaseUrl: string; schema: string }

/** `port`: listen there instead of on a free port; `migrate`: migrate at start, as main.ts does. */
export interface StartOptions {
  port?: number
  migrate?: boolean
}

function argsFor(db: InstanceDb, options: StartOptions): string[] {
  return [
    ...('dataDir' in db
      ? ['--data-dir', db.dataDir]
      : ['--database-url', db.databaseUrl, '--schema', db.schema]),
    ...(options.port === undefined ? [] : ['--port', String(options.port)]),
    ...(options.migrate ? ['--migrate'] : []),
  ]
}

/** The bench runs under tsx and passes its loader on; a Vitest worker has none, so it adds one. */
function loaderArgs(): string[] {
  return process.execArgv.some((arg) => arg.includes('tsx'))
    ? process.execArgv
    : ['--import', 'tsx']
}

const isPortMessage = (value: unknown): value is { port: number } =>
  typeof value === 'object' && value !== null && typeof Reflect.get(value, 'port') === 'number'

/**
 * Starts an instance on `db` (already migrated) and resolves once it listens; keeps `sockets`
 * keep-alive connections to it.
 */
export function startInstance(
  db: InstanceDb,
  sockets: number,
  options: StartOptions = {},
): Promise<Instance> {
  return listening(forkServer(db, options), sockets)
}

/** A process forked ahead, with the server loaded but no database open until `start()`. */
export interface Standby {
  child: ChildProcess
  /** Resolves once the spare has loaded and waits for start(). */
  ready: Promise<void>
  /** Opens the database (migrating if asked) and listens; resolves like startInstance. */
  start(): Promise<Instance>
}

/** Forks a warm spare for `db`: starting it later skips Node's cold start. */
export function standbyInstance(
  db: InstanceDb,
  sockets: number,
  options: StartOptions = {},
): Standby {
  const child = forkServer(db, options, ['--standby'])
  // 'start' sent before the spare listens for it would be lost: it says when it does.
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', (message) => {
      if (message === 'standby') resolve()
      else reject(new Error(`Bench server standby sent ${JSON.stringify(message)}`))
    })
    child.once('exit', (code) => reject(new Error(`Bench server standby exited with ${code}`)))
  })
  ready.catch(() => undefined) // awaited by start(); a spare never started may die unobserved
  return {
    child,
    ready,
    start: async () => {
      await ready
      const started = listening(child, sockets)
      child.send('start')
      return started
    },
  }
}

function forkServer(db: InstanceDb, options: StartOptions, extra: string[] = []): ChildProcess {
  return fork(SCRIPT, [...argsFor(db, options), ...extra], {
    cwd: ROOT,
    execArgv: loaderArgs(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

/** Resolves once `child` reports the port it listens on. */
function listening(child: ChildProcess, sockets: number): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`Bench server instance ${reason}`))
    }
    const timer = setTimeout(
      () => fail(`did not listen within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    )
    child.once('error', (error) => fail(`failed: ${error.message}`))
    child.once('exit', (code) => fail(`exited with ${code} before listening`))
    child.once('message', (message) => {
      if (!isPortMessage(message)) return fail(`sent ${JSON.stringify(message)}`)
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({ child, target: target(message.port, sockets) })
    })
  })
}

/** Asks the instance to close and waits for its process to end; kills it if it does not. */
export async function stopInstance(instance: Instance): Promise<void> {
  instance.target.agent.destroy()
  const { child } = instance
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  if (child.connected) child.send('close')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}
