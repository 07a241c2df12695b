-- lotuswall schema migration 0010: a placeholder of branch fleetcfg, which
-- needs the number 0011 while another branch writes 0010. The lead merges the
-- real 0010 in its place (and its name in src/data/migrate.c).
SET LOCAL client_min_messages = warning;
