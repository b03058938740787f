-- The entries of one Strata PostgreSQL storage (module storage-postgres).
--
-- Placeholders: ${flyway:defaultSchema} is the schema Flyway works in; ${table} is the table
-- name, which also names the sequence and the indexes. The storage runs this script on start;
-- to run it alone with Flyway, see storage-postgres/README.md.
--
-- Keys compare byte by byte (COLLATE "C" on a UTF-8 database), which is the order of scans.
-- A row whose expires_at has passed is invisible to the library and removed by its purge.

CREATE SEQUENCE "${flyway:defaultSchema}"."${table}_version" AS bigint;

CREATE TABLE "${flyway:defaultSchema}"."${table}" (
    namespace  text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    value      bytea            NOT NULL,
    -- From the sequence: strictly increasing per key, never reused, even after a delete.
    version    bigint           NOT NULL,
    created_at timestamptz      NOT NULL,
    updated_at timestamptz      NOT NULL,
    -- NULL: never expires.
    expires_at timestamptz,
    CONSTRAINT "${table}_pkey" PRIMARY KEY (namespace, key)
);

-- Serves the purge of expired rows, oldest first; rows that never expire are not indexed.
CREATE INDEX "${table}_expiry" ON "${flyway:defaultSchema}"."${table}" (expires_at)
    WHERE expires_at IS NOT NULL;

COMMENT ON TABLE "${flyway:defaultSchema}"."${table}" IS
    'Strata storage entries: namespace, key, value (bytea), version, timestamps, expiry';
