import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * The contrib extensions every embedded database is opened with. A manifest's trigram index needs pg_trgm's
 * code in each session that writes the table (its index calls it), not only where `CREATE EXTENSION` ran.
 */
export const pgliteExtensions = { pg_trgm };
