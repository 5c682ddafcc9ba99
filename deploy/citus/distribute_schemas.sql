-- Distribute every platform schema that is not distributed yet: the cooperatives, the
-- template they are cloned from and the spare schemas. Each schema in its own statement
-- (psql's \gexec runs them one by one, each in its own transaction), so a failure names
-- its schema and leaves the others done. Safe to run again: distributed schemas are skipped.
--
--   psql -v ON_ERROR_STOP=1 -d noaber -f deploy/citus/distribute_schemas.sql
--
-- setup.sql runs it once. Afterwards it is the fallback for a cluster where
-- citus.enable_schema_based_sharding is left off: run it after sign-ups (for example from
-- cron every few minutes); until then a new cooperative lives on the coordinator.

SET citus.enable_unsafe_triggers TO on;

SELECT format('SELECT citus_schema_distribute(%L)', n.nspname)
FROM pg_namespace n
WHERE (n.nspname IN (SELECT schema_name FROM public.tenants_cooperative)
       OR n.nspname IN (SELECT schema_name FROM public.tenants_spareschema)
       OR n.nspname = 'noaber_template')
  AND n.oid NOT IN (SELECT schema_name::oid FROM citus_schemas)
ORDER BY n.nspname
\gexec
