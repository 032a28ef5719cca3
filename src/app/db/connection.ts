import { DB_NAME, SohoaDb } from './schema.ts'

/** The app's one database connection. Tests open their own `SohoaDb` under a unique name. */
export const db = new SohoaDb(DB_NAME)
