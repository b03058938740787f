-- How many sessions listen for the change events of ${table} (module storage-postgres).
--
-- The rows of ${table}_listeners, counted by whoever adds or removes them while holding a lock on
-- that table. Writes read this number instead of the table, which costs them a few microseconds
-- less, and notify only while it is not 0. Every purge counts the rows again, so that rows added
-- without counting them (by a process of an earlier version) are counted from then on.

CREATE SEQUENCE "${flyway:defaultSchema}"."${table}_listening" AS bigint MINVALUE 0 START 0;

LOCK TABLE "${flyway:defaultSchema}"."${table}_listeners" IN SHARE ROW EXCLUSIVE MODE;

SELECT setval('"${flyway:defaultSchema}"."${table}_listening"', count(*), true)
FROM "${flyway:defaultSchema}"."${table}_listeners";

COMMENT ON SEQUENCE "${flyway:defaultSchema}"."${table}_listening" IS
    'Strata storage: the number of sessions listening for change events of ${table}';
