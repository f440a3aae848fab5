-- `sqlmig access setup --watch-ddl` (superuser only: event triggers are):
-- every DDL statement on sqlmig's own objects is reported to the server log
-- (RAISE LOG, which reaches the log with the default log_min_messages), where
-- neither sqlmig_owner nor anybody but a superuser can take it back. This is
-- how a disabled audit trigger, a dropped table or a replaced function is
-- detected: the owner and superusers can still do it, but not unseen.
-- {schema_name} is the ledger's schema as a literal. The trigger functions live
-- in schema sqlmig_watch, owned by the superuser who ran this, so that
-- sqlmig_owner cannot replace them.

CREATE SCHEMA IF NOT EXISTS sqlmig_watch;
REVOKE ALL ON SCHEMA sqlmig_watch FROM PUBLIC;

CREATE OR REPLACE FUNCTION sqlmig_watch.sqlmig_watch_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
    cmd record;
BEGIN
    FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands()
               WHERE schema_name = {schema_name} LOOP
        RAISE LOG 'sqlmig: % on sqlmig''s own object % by database user % (as %)',
            cmd.command_tag, cmd.object_identity, session_user, current_user;
    END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION sqlmig_watch.sqlmig_watch_drop() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
    obj record;
BEGIN
    FOR obj IN SELECT * FROM pg_event_trigger_dropped_objects()
               WHERE schema_name = {schema_name} LOOP
        RAISE LOG 'sqlmig: DROP of sqlmig''s own object % by database user % (as %)',
            obj.object_identity, session_user, current_user;
    END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION sqlmig_watch.sqlmig_watch_ddl(), sqlmig_watch.sqlmig_watch_drop() FROM PUBLIC;

DROP EVENT TRIGGER IF EXISTS sqlmig_watch_ddl;
CREATE EVENT TRIGGER sqlmig_watch_ddl ON ddl_command_end
    EXECUTE PROCEDURE sqlmig_watch.sqlmig_watch_ddl();
DROP EVENT TRIGGER IF EXISTS sqlmig_watch_drop;
CREATE EVENT TRIGGER sqlmig_watch_drop ON sql_drop
    EXECUTE PROCEDURE sqlmig_watch.sqlmig_watch_drop();
