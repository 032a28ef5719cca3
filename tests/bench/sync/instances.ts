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

function argsFor(db: InstanceDb): string[] {
  return 'dataDir' in db
    ? ['--data-dir', db.dataDir]
    : ['--database-url', db.databaseUrl, '--schema', db.schema]
}

const isPortMessage = (value: unknown): value is { port: number } =>
  typeof value === 'object' && value !== null && typeof Reflect.get(value, 'port') === 'number'

/**
 * Starts an instance on `db` (already migrated) and resolves once it listens; keeps `sockets`
 * keep-alive connections to it. The child inherits this process's tsx loader (execArgv).
 */
export function startInstance(db: InstanceDb, sockets: number): Promise<Instance> {
  const child = fork(SCRIPT, argsFor(db), {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
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
