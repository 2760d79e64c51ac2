/** How the commands name a migration about to run (main.ts on a terminal, serve in its log). */
import type { MigrationStep } from '../../ports/store-lifecycle.js';

/**
 * What a command says of a migration about to run, or null: an existing database's migrations are
 * named (some take a while on a large archive: copying every vector, re-queueing every paper), a
 * new database's are not (they take milliseconds).
 */
export function migrationLine(step: MigrationStep): string | null {
  return step.from > 0 ? `migrating the schema from version ${step.from}: ${step.version}, ${step.name}` : null;
}
