-- Deleted and expired keys stay as tombstones for a while (module storage-postgres).
--
-- A tombstone is a row whose value is NULL; its expires_at is when the purge may remove it. A
-- delete, and the purge of an expired entry, turn the row into one. Every later write of the key
-- then finds the row and takes its version under the row's lock, after the writers before it
-- committed, so that versions increase per key without any other lock. The row may go once no
-- statement that started before the delete can still be running (see tombstoneGrace).

ALTER TABLE "${flyway:defaultSchema}"."${table}" ALTER COLUMN value DROP NOT NULL;

COMMENT ON COLUMN "${flyway:defaultSchema}"."${table}".value IS
    'NULL: a tombstone of a deleted or expired key, removed by the purge after expires_at';
