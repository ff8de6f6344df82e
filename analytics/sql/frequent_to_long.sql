{{/*
Frequent absence followed by long absence, the CTEs ending in obs for
tallies.sql: one row per employee of the population with a contract on the
reference date $reference_date, in group $group_frequent (at least
$frequent_threshold new sickness cases of the types that count towards
frequent absence from $period_from, the window start, to the reference
date) or $group_other, followed from the reference date to the first sick
day of their first long sickness case (more than $long_absence_days days:
an event) or to the end of follow-up: the end of their unbroken employment
or $horizon, whichever is first (censored).
*/ -}}
{{template "pieces" .Pieces}},
fp AS (SELECT * FROM pieces WHERE {{.Filter}}),
pop AS (SELECT DISTINCT emp FROM fp WHERE s <= $reference_date::DATE AND $reference_date::DATE < e),
fr AS (
	SELECT p.emp, count(c.employee_key) AS reports
	FROM pop p LEFT JOIN absence_cases c ON c.employee_key = p.emp AND c.absence_type IN {{template "frequent_types"}}
		AND c.first_sick_day BETWEEN $period_from::DATE AND $reference_date::DATE
	GROUP BY p.emp
),
lc AS (
	SELECT c.employee_key AS emp, min(c.first_sick_day) AS lfsd FROM absence_cases c
	WHERE c.absence_type IN {{template "sick_types"}} AND c.first_sick_day > $reference_date::DATE AND c.first_sick_day <= $horizon::DATE
		AND (c.recovery_date IS NULL OR c.recovery_date > $extract_date::DATE OR c.recovery_date - c.first_sick_day > $long_absence_days)
	GROUP BY c.employee_key
),
fu AS (
	SELECT fr.*, lc.lfsd, least($horizon::DATE, coalesce({{template "run_end" (args "emp" "fr.emp" "day" "$reference_date::DATE")}}, $horizon::DATE)) AS fend FROM fr LEFT JOIN lc USING (emp)
),
obs AS (
	SELECT CASE WHEN reports >= $frequent_threshold THEN $group_frequent::VARCHAR ELSE $group_other::VARCHAR END AS grp, emp, reports,
		CASE WHEN lfsd <= fend THEN lfsd - $reference_date::DATE ELSE fend - $reference_date::DATE END AS t,
		coalesce(lfsd <= fend, false) AS ev
	FROM fu
)
