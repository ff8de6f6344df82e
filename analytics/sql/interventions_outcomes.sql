{{/*
How the linked cases ended, per type and per type and provider (gp = 1 for
the type's row): 'open' when not closed on the extract date, 'not_recorded'
when closed without an end reason. See interventions.sql.
*/ -}}
WITH {{template "intervention_link" .}}
SELECT typ, prov, GROUPING(prov) AS gp, outcome, count(DISTINCT (emp, fsd)) AS n FROM (
	SELECT *, CASE WHEN rec IS NULL THEN 'open' ELSE coalesce(reason, 'not_recorded') END AS outcome FROM ivp WHERE fsd IS NOT NULL)
GROUP BY GROUPING SETS ((typ, outcome), (typ, prov, outcome))
ORDER BY typ, prov, outcome
