-- lotuswall schema migration 0009: a placeholder of branch fleetcfg, which
-- needs the number 0011 while another branch writes 0009. The lead merges the
-- real 0009 in its place (and its name in src/data/migrate.c).
SET LOCAL client_min_messages = warning;
