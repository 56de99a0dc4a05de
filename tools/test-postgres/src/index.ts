export type { EmbeddedPostgresOptions, EmbeddedPostgresServer } from './embedded-postgres';
export { startEmbeddedPostgres } from './embedded-postgres';
export { freePort } from './free-port';
