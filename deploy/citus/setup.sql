-- Turn the platform's database into a Citus cluster with schema-based sharding.
-- Run once, on the coordinator, as a superuser, with the platform stopped (maintenance page):
--
--   psql -v ON_ERROR_STOP=1 -d noaber -f deploy/citus/setup.sql
--
-- Before: every node runs PostgreSQL with Citus 12.1+ and postgresql.citus.conf; the
-- coordinator holds the platform's database as it was on the single server (the server
-- itself, upgraded in place, or a pg_dump/pg_restore of it). The host names are placeholders.
-- See README.md beside this file for why each step is there.

CREATE EXTENSION IF NOT EXISTS citus;

-- The nodes. The coordinator keeps the public schema (the registry, networks, billing) and
-- no cooperative: its own load is every request's host lookup and the network pages.
SELECT citus_set_coordinator_host('coordinator.noaber.internal', 5432);
SELECT citus_add_node('worker-1.noaber.internal', 5432);
SELECT citus_add_node('worker-2.noaber.internal', 5432);
SELECT citus_set_node_property('coordinator.noaber.internal', 5432, 'shouldhaveshards', false);

-- Every schema the platform creates from now on (a sign-up's clone, a spare, the template
-- when `migrate --rebuild` makes it again) is a distributed schema: no change to the code.
-- Triggers: see triggers.txt (R7).
ALTER DATABASE noaber SET citus.enable_schema_based_sharding TO on;
ALTER DATABASE noaber SET citus.enable_unsafe_triggers TO on;

-- Reference tables (reference_tables.txt), before any schema that points to them is
-- distributed. Today the list is empty; for each line it would be:
--   SELECT create_reference_table('public.<table>');

-- The cooperatives that exist already, the template and the spares.
\i distribute_schemas.sql
