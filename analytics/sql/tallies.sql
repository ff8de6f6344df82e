{{/*
The one aggregate query behind every curve. .With are the CTEs of the
figure, ending in obs (key columns, emp, fsd, an integer time t and a
boolean ev: event rather than censoring). For each grouping set: part 0,
the events (a) and censorings (b) per time t; part 1, the distinct
employees (a), the cases (b, .Cases) and any extra aggregates (.Extras).
gid is the GROUPING() id of the set.
*/ -}}
WITH {{.With}},
o AS MATERIALIZED (SELECT * FROM obs)
SELECT 0 AS part, {{.Gid}} AS gid, {{.Keys}}t, count(*) FILTER (WHERE ev) AS a, count(*) FILTER (WHERE NOT ev) AS b{{.Nulls}}
FROM o GROUP BY GROUPING SETS ({{.TimeSets}})
UNION ALL
SELECT 1, {{.Gid}}, {{.Keys}}NULL, count(DISTINCT emp), {{.Cases}}{{.Extras}}
FROM o GROUP BY GROUPING SETS ({{.Sets}})
ORDER BY part, gid, t
