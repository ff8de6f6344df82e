{{/*
The cost of the linked interventions (interventions.sql) per type, per type
and provider, per type and employer, per type and payer, per payer over all
types and in all (gid, the GROUPING id of typ, prov, payer, employer): interventions, cases, employees, the sum
of the recorded costs and the cases with a recorded cost. payer is NULL
where not recorded.
*/ -}}
WITH {{template "intervention_link" .}}
SELECT typ, prov, payer, employer, GROUPING(typ, prov, payer, employer) AS gid, count(*) AS n, count(DISTINCT (emp, fsd)) AS cases,
	count(DISTINCT emp) AS emps, sum(cost)::DOUBLE AS cost, count(DISTINCT (emp, fsd)) FILTER (WHERE cost IS NOT NULL) AS cost_cases
FROM ivp WHERE fsd IS NOT NULL
GROUP BY GROUPING SETS ((), (typ), (typ, prov), (typ, employer), (typ, payer), (payer))
ORDER BY gid, typ, prov, employer, payer
