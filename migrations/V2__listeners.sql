-- The sessions that listen for the change events of ${table} (module storage-postgres).
--
-- A listener adds its session here when it starts listening and removes it when it stops; writes
-- send NOTIFY only while the table has a row, because PostgreSQL commits notifying transactions
-- one at a time. A row whose session is gone (a crashed process) is removed by the next listener
-- to start and by the storage's purge; until then writes merely notify in vain.

CREATE TABLE "${flyway:defaultSchema}"."${table}_listeners" (
    backend_pid integer     NOT NULL,
    since       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "${table}_listeners_pkey" PRIMARY KEY (backend_pid)
);

COMMENT ON TABLE "${flyway:defaultSchema}"."${table}_listeners" IS
    'Strata storage: sessions listening for change events of ${table}';
