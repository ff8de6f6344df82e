{{/*
seg: the segments of sickness cases and of pregnancy leave that touch
[.From, .To], with their exclusive end vt capped at the recovery date and at
the day after the extract date (an open case is sick through the extract
date). ao is the fraction of working time absent; typ the case's absence
type; rec its recovery date; vg whether the vangnet pays.
*/}}
{{- define "segments"}}seg AS (
	SELECT * FROM (
		SELECT g.employee_key AS emp, g.first_sick_day AS fsd, g.valid_from AS vf,
			least(coalesce(g.valid_to, {{template "open_end"}}), coalesce(c.recovery_date, {{template "open_end"}}), $extract_date::DATE + 1) AS vt,
			g.absence_pct / 100.0 AS ao, c.absence_type AS typ, c.recovery_date AS rec, {{template "vangnet_case"}} AS vg
		FROM case_segments g JOIN absence_cases c
			ON c.employee_key = g.employee_key AND c.first_sick_day = g.first_sick_day
		WHERE (c.absence_type IN {{template "sick_types"}} OR c.absence_type = 'pregnancy_leave')
			-- each side narrowed to the period before the join
			AND g.valid_from <= {{.To}} AND coalesce(g.valid_to, {{template "open_end"}}) > {{.From}}
			AND c.first_sick_day <= {{.To}} AND coalesce(c.recovery_date, {{template "open_end"}}) > {{.From}})
	WHERE vt > {{.From}} AND vt > vf
)
{{- end}}
