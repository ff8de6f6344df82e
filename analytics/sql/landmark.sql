{{/*
The landmark comparisons, the CTEs ending in obs for tallies.sql. A case
(recovery.sql, as cases) is at risk at landmark L (.Landmarks) when it is
known to last more than L days: ended after more than L days, or still open
with at least L days observed (extract date − first sick day ≥ L). Its time
is counted from L. An intervention counts for the arms when it started on
or after the first sick day and before day L (start − first sick day < L);
later ones count as none. Rows: the 'none' arm (no intervention of any type
before L; typ ''), and per type X of .Types the 'intervention' arm (X
before L) and, for L > $early_days, the 'early' (first X before
$early_days) and 'late' (first X on $early_days … L − 1) arms.
*/ -}}
{{template "recovery" .Recovery}},
lc AS (
	SELECT l.l, c.emp, c.fsd, c.t - l.l AS t, c.ev
	FROM cases c, (VALUES {{.Landmarks}}) l(l)
	WHERE (c.ev AND c.t > l.l) OR (NOT c.ev AND c.t >= l.l)
),
ivc AS (
	SELECT x.l, x.emp, x.fsd, i.intervention_type AS typ, min(i.start_date - x.fsd) AS first_off
	FROM lc x JOIN interventions i ON i.employee_key = x.emp AND i.start_date >= x.fsd AND i.start_date < x.fsd + x.l
	GROUP BY ALL
),
obs AS (
	SELECT x.l::VARCHAR AS lm, '' AS typ, 'none' AS arm, x.emp, x.fsd, x.t, x.ev FROM lc x
	WHERE NOT EXISTS (SELECT 1 FROM ivc v WHERE v.l = x.l AND v.emp = x.emp AND v.fsd = x.fsd)
	UNION ALL
	SELECT x.l::VARCHAR, v.typ, 'intervention', x.emp, x.fsd, x.t, x.ev
	FROM lc x JOIN ivc v USING (l, emp, fsd) WHERE v.typ IN ({{.Types}})
	UNION ALL
	SELECT x.l::VARCHAR, v.typ, CASE WHEN v.first_off < $early_days THEN 'early' ELSE 'late' END, x.emp, x.fsd, x.t, x.ev
	FROM lc x JOIN ivc v USING (l, emp, fsd) WHERE v.typ IN ({{.Types}}) AND x.l > $early_days
)
