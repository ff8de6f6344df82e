{{/*
The values of one group column .Col a Breakdown would list: the values of
the pieces of the population (.Filter) inside the period, and of the piece
holding the first sick day of every sickness case touching the period, as
the KPI query counts them. For a filter bar's choices, without a figure.
.Employer: per employer, each value with its employer's id as text.
*/ -}}
WITH {{template "pieces" .Pieces}},
fp AS (SELECT * FROM pieces WHERE {{.Filter}})
SELECT {{if .Employer}}employer, {{end}}{{.Col}} FROM fp WHERE s <= $period_to::DATE AND e > $period_from::DATE
UNION
SELECT {{if .Employer}}p.employer, {{end}}p.{{.Col}} FROM absence_cases c JOIN fp p ON p.emp = c.employee_key AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
WHERE c.absence_type IN {{template "sick_types"}} AND c.first_sick_day <= $period_to::DATE
	AND coalesce(c.recovery_date, {{template "open_end"}}) >= $period_from::DATE
