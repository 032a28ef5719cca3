/**
 * One SoHoa server instance in a process of its own, for the load tests: the load generator and
 * each instance then have their own event loop, as on a real deployment. The parent migrates and
 * fills the database first; this process only opens it, listens on 127.0.0.1 and reports its port
 * over IPC, and closes when asked ('close') or when the parent goes away.
 *
 *   fork('server.ts', ['--data-dir', dir])  or  ['--database-url', url, '--schema', name]
 */
import { parseArgs } from 'node:util'
import { buildApp } from '../../../src/server/app.ts'
import { openStore } from '../../../src/server/store/open.ts'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '' },
    'database-url': { type: 'string' },
    schema: { type: 'string' },
  },
})
const store = await openStore({
  dataDir: values['data-dir'],
  databaseUrl: values['database-url'],
  ...(values.schema === undefined ? {} : { schema: values.schema }),
})
const app = await buildApp({ store })
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
if (typeof address !== 'object' || address === null) throw new Error('The server has no port')

let closing: Promise<void> | null = null
const close = (): Promise<void> =>
  (closing ??= (async () => {
    await app.close()
    await store.close()
    process.disconnect?.()
  })())
process.on('message', (message) => {
  if (message === 'close') void close()
})
process.on('disconnect', () => void close())
process.send?.({ port: address.port })
