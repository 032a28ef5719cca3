/**
 * One SoHoa server instance in a process of its own, for the load tests: the load generator and
 * each instance then have their own event loop, as on a real deployment. The parent migrates and
 * fills the database first; this process only opens it, listens on 127.0.0.1 and reports its port
 * over IPC, and closes when asked ('close') or when the parent goes away.
 *
 *   fork('server.ts', ['--data-dir', dir])  or  ['--database-url', url, '--schema', name]
 *
 * `--port N` listens on a given port, so a restarted instance keeps its address; `--migrate`
 * migrates at start, as src/server/main.ts does on every start (the crash tests restart instances
 * on a database whose last instance was killed). `--standby` loads everything, then waits for
 * 'start' before it opens the database: a warm spare, whose start costs opening the database and
 * listening, not Node's cold start (seconds under tsx on a busy machine).
 */
import { parseArgs } from 'node:util'
import { buildApp } from '../../../src/server/app.ts'
import { openStore } from '../../../src/server/store/open.ts'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '' },
    'database-url': { type: 'string' },
    schema: { type: 'string' },
    port: { type: 'string', default: '0' },
    migrate: { type: 'boolean', default: false },
    standby: { type: 'boolean', default: false },
  },
})
if (values.standby) {
  // A spare whose parent went away has nothing to wait for.
  const exit = (): never => process.exit(0)
  process.once('disconnect', exit)
  await new Promise<void>((resolve) => {
    const onMessage = (message: unknown): void => {
      if (message !== 'start') return
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
    process.send?.('standby')
  })
  process.off('disconnect', exit)
}
const store = await openStore({
  dataDir: values['data-dir'],
  databaseUrl: values['database-url'],
  ...(values.schema === undefined ? {} : { schema: values.schema }),
})
if (values.migrate) await store.migrate()
const app = await buildApp({ store })
await app.listen({ host: '127.0.0.1', port: Number(values.port) })
const address = app.server.address()
if (typeof address !== 'object' || address === null) throw new Error('The server has no port')

let closing: Promise<void> | null = null
const close = (): Promise<void> =>
  (closing ??= (async () => {
    await app.close()
    await store.close()
    if (process.connected) process.disconnect()
  })())
process.on('message', (message) => {
  if (message === 'close') void close()
})
process.on('disconnect', () => void close())
process.send?.({ port: address.port })
