{{/*
Frequent absentees: for the employees of the population employed on a day
of P, their sickness cases (of the types that count towards frequent
absence) in the window [$window_start, $period_to], chained into spells
when the next starts at most $bradford_gap_days after the previous one's
recovery date; per employee the new cases, spells and sick calendar days in
the window. The Bradford factor is spells² × days. Employees are named by
their pseudonym, and ties go in its order.
*/ -}}
WITH {{template "pieces" .Pieces}},
pop AS (SELECT DISTINCT emp FROM pieces WHERE {{.Filter}} AND s <= $period_to::DATE AND e > $period_from::DATE),
sc AS (
	SELECT c.employee_key AS emp, c.first_sick_day AS fsd,
		least(coalesce(c.recovery_date, {{template "open_end"}}), $extract_date::DATE + 1) AS rec
	FROM absence_cases c JOIN pop ON pop.emp = c.employee_key
	WHERE c.absence_type IN {{template "frequent_types"}} AND c.first_sick_day <= $period_to::DATE
),
spells AS (
	SELECT *, sum(CASE WHEN prev_rec IS NOT NULL AND fsd <= prev_rec + $bradford_gap_days::INTEGER THEN 0 ELSE 1 END)
		OVER (PARTITION BY emp ORDER BY fsd) AS spell
	FROM (SELECT *, lag(rec) OVER (PARTITION BY emp ORDER BY fsd) AS prev_rec FROM sc)
),
per AS (
	SELECT emp,
		count(*) FILTER (WHERE fsd >= $window_start::DATE) AS new_cases,
		count(DISTINCT spell) FILTER (WHERE rec > $window_start::DATE) AS spells,
		coalesce(sum(least(rec, $period_to::DATE + 1) - greatest(fsd, $window_start::DATE)) FILTER (WHERE rec > $window_start::DATE), 0) AS days
	FROM spells GROUP BY emp
)
SELECT k.pseudonym AS emp, new_cases, spells, days FROM per JOIN employees k ON k.employee_key = per.emp WHERE spells > 0
ORDER BY spells * spells * days DESC, new_cases DESC, k.pseudonym
