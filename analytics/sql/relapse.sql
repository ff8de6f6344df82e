{{/*
Relapse after a return to the own employer, the CTEs ending in obs for
tallies.sql.

rc: the index returns, sickness cases of at least $relapse_index_days days
closed with their recovery date in P and back at the own employer, in arm
$arm_return_talk when the employee had a return talk starting within
$return_talk_window_days days of the recovery date, else
$arm_no_return_talk.

relapse_obs (.Src, .Keys): over the CTE .Src (keys, emp, fsd, rec: closed
cases back at work), t = days from the recovery date to the first sick day
of the employee's next sickness case (an event), or, with no new case by the
end of follow-up, the days to that end (censored). Follow-up ends on the
extract date or on the last day of the employee's unbroken employment,
whichever comes first.
*/ -}}
{{define "relapse_obs"}}nx AS (
	SELECT r.*,
		(SELECT min(n.first_sick_day) FROM absence_cases n WHERE n.employee_key = r.emp AND n.absence_type IN {{template "sick_types"}}
			AND n.first_sick_day >= r.rec AND n.first_sick_day <= $extract_date::DATE) AS next_fsd,
		least($extract_date::DATE, coalesce({{template "run_end" (args "emp" "r.emp" "day" "r.rec")}}, $extract_date::DATE)) AS fend
	FROM {{.Src}} r
),
obs AS (
	SELECT {{.Keys}}, emp, fsd,
		CASE WHEN next_fsd <= fend THEN next_fsd - rec ELSE fend - rec END AS t,
		coalesce(next_fsd <= fend, false) AS ev
	FROM nx WHERE fend >= rec
){{end}}
{{- template "pieces" .Pieces}},
fp AS (SELECT * FROM pieces WHERE {{.Filter}}),
rc AS (
	SELECT CASE WHEN EXISTS (SELECT 1 FROM interventions i WHERE i.employee_key = c.employee_key AND i.intervention_type = $return_talk
			AND i.start_date BETWEEN c.recovery_date - $return_talk_window_days::INTEGER AND c.recovery_date + $return_talk_window_days::INTEGER)
			THEN $arm_return_talk::VARCHAR ELSE $arm_no_return_talk::VARCHAR END AS arm,
		c.employee_key AS emp, c.first_sick_day AS fsd, c.recovery_date AS rec
	FROM absence_cases c JOIN fp p ON p.emp = c.employee_key AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
	WHERE c.absence_type IN {{template "sick_types"}} AND c.recovery_date BETWEEN $period_from::DATE AND $period_to::DATE
		AND c.recovery_date - c.first_sick_day >= $relapse_index_days AND {{template "case_end"}} = $end_own_employer
),
{{template "relapse_obs" .}}
