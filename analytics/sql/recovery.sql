{{/*
The sickness cases with their first sick day in P, for the curves
(survival, progression, outcomes, landmark): one row per case, attributed
to the employment piece valid on its first sick day, in the CTE .Name, with
the group columns .Groups, the time t in days and ev = ended. A recovery
date after the extract date is not known yet: such a case is open, censored
at extract date − first sick day. With .Cohort the month (or with
.Quarterly the quarter) of the first sick day; with .Ends how the case
ended (case_end.sql).
*/ -}}
{{define "recovery"}}{{template "pieces" .Pieces}},
fp AS (SELECT * FROM pieces WHERE {{.Filter}}),
{{.Name}} AS (
	SELECT {{.Groups}}c.employee_key AS emp, c.first_sick_day AS fsd,
		CASE WHEN c.recovery_date <= $extract_date::DATE THEN c.recovery_date - c.first_sick_day ELSE $extract_date::DATE - c.first_sick_day END AS t,
		coalesce(c.recovery_date <= $extract_date::DATE, false) AS ev
		{{- if .Cohort}}, {{if .Quarterly}}strftime(c.first_sick_day, '%Y') || '-Q' || quarter(c.first_sick_day){{else}}strftime(c.first_sick_day, '%Y-%m'){{end}} AS cohort{{end}}
		{{- if .Ends}}, {{template "case_end"}} AS ends{{end}}
	FROM absence_cases c JOIN fp p ON p.emp = c.employee_key AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
	WHERE c.absence_type IN {{template "sick_types"}} AND c.first_sick_day BETWEEN $period_from::DATE AND $period_to::DATE
){{end}}
{{- template "recovery" .}}
