{{/*
The sickness cases with their first sick day in P (recovery.sql, as cases,
with how they ended), one row each, with what the adjusted intervention
effect needs (adjusted.go): the employee (a cluster), the employer's name, time t and whether
the case is closed (ev) and how (ends); the covariates known at the first
sick day (department, age band and part-time factor of the contract valid
then, sick reports of the employee in the 365 days before); the absence
percentage per segment (day offset from the first sick day, percentage;
in no order: an ordered list() per case took nearly all the query's time,
so adjusted_cases.go sorts them);
and the interventions started during the case (day offset, type,
provider), return talks left out ($return_talk: held at the return).
Each case names its employee's pseudonym: adjusted_cases.go puts the cases
in the order of the pseudonym (the clusters are numbered in that order),
then of the first sick day. (An ORDER BY here sorted rows with lists, which
DuckDB does not spill: at 1M employees it ran out of its memory.)
*/ -}}
WITH {{template "recovery" .Recovery}},
prior AS (
	SELECT c.emp, c.fsd, count(o.first_sick_day) AS n
	FROM cases c JOIN absence_cases o ON o.employee_key = c.emp AND o.absence_type IN {{template "sick_types"}}
		AND o.first_sick_day >= c.fsd - 365 AND o.first_sick_day < c.fsd
	GROUP BY ALL
),
segs AS (
	SELECT c.emp, c.fsd, list(s.valid_from - c.fsd) AS seg_from, list(s.absence_pct) AS seg_pct
	FROM cases c JOIN case_segments s ON s.employee_key = c.emp AND s.first_sick_day = c.fsd
	GROUP BY ALL
),
ivs AS (
	SELECT c.emp, c.fsd, list(i.start_date - c.fsd ORDER BY i.start_date, i.intervention_type) AS iv_day,
		list(i.intervention_type ORDER BY i.start_date, i.intervention_type) AS iv_type,
		list(coalesce(i.provider, $not_recorded) ORDER BY i.start_date, i.intervention_type) AS iv_prov
	FROM cases c JOIN interventions i ON i.employee_key = c.emp AND i.intervention_type <> $return_talk
		AND i.start_date >= c.fsd AND i.start_date < c.fsd + (c.t + CASE WHEN c.ev THEN 0 ELSE 1 END)::INTEGER
	GROUP BY ALL
)
SELECT c.emp, k.pseudonym, c.fsd, coalesce(e.name, '') AS employer, c.t, c.ev, coalesce(c.ends, '') AS ends, c.dept, c.age_band, c.ptf, coalesce(p.n, 0) AS prior,
	coalesce(s.seg_from, []) AS seg_from, coalesce(s.seg_pct, []) AS seg_pct,
	coalesce(v.iv_day, []) AS iv_day, coalesce(v.iv_type, []) AS iv_type, coalesce(v.iv_prov, []) AS iv_prov
FROM cases c LEFT JOIN employers e ON e.employer_id::VARCHAR = c.employer LEFT JOIN prior p USING (emp, fsd) LEFT JOIN segs s USING (emp, fsd) LEFT JOIN ivs v USING (emp, fsd)
	JOIN employees k ON k.employee_key = c.emp
