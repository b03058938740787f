/**
 * The internals of {@link dev.strata.postgres.PostgresStorage}: SQL, connections, migrations, the
 * change listener and error mapping. Not an API: anything here may change in any release.
 */
package dev.strata.postgres.internal;
