/**
 * Storage on PostgreSQL: {@link dev.strata.postgres.PostgresStorage}, configured by {@link
 * dev.strata.postgres.PostgresConfig}. The table is created by Flyway from the scripts of the
 * repository's {@code migrations/} folder, which are packaged into this module.
 */
package dev.strata.postgres;
