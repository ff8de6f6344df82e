{{/*
How cases end, the CTEs ending in obs for tallies.sql: the cases of
recovery.sql (as oc, with how they ended) with outcome = the way a closed
case ended, or $censored for an open one, and long_case: known to last more
than $long_case_days days (ended after more, or open for at least that
many).
*/ -}}
{{template "recovery" .}},
obs AS (
	SELECT * EXCLUDE (ends), CASE WHEN ev THEN ends ELSE $censored::VARCHAR END AS outcome,
		(ev AND t > $long_case_days) OR (NOT ev AND t >= $long_case_days) AS long_case
	FROM oc
)
