-- lotuswall schema migration 0016: a steering command expires (issue 15).
-- A wall answers a command of lotuswall.wall_commands that waited more than
-- two minutes for it (the wall was away) as expired instead of applying it:
-- a briefing that steered a dead wall has moved on. The wall's login reads
-- when the command was queued for that.
GRANT SELECT (created_at) ON lotuswall.wall_commands TO lotuswall_wall;
