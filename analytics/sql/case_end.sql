{{/*
case_end: how the closed sickness case c (an absence_cases alias) ended,
its end reason mapped onto the ways of CaseEnds ($end_own_employer, …). A
closed case without an end reason counts as back at the own employer,
unless the employee was employed on the day before the recovery date and
not on the recovery date itself: then the employment ended. (The last days
of employment are one uncorrelated set, which DuckDB hashes once; a
correlated test per case took twice as long.)

last_days: the employees' last days of employment (emp, last), the end
dates of contracts that no contract continues.

run_end (.emp, .day): the last day of the employee's unbroken run of
contracts (each starting by the day after the previous one ends) that holds
the day, or NULL while the run is open.
*/}}
{{- define "last_days"}}SELECT m.employee_key AS emp, m.end_date AS last FROM employments m
	WHERE NOT EXISTS (SELECT 1 FROM employments k WHERE k.employee_key = m.employee_key
		AND k.start_date <= m.end_date + 1 AND coalesce(k.end_date, {{template "open_end"}}) > m.end_date){{end}}
{{- define "case_end"}}CASE
		WHEN c.end_reason IN ('full_return', 'adapted_own_work', 'other_work_own_employer') THEN $end_own_employer::VARCHAR
		WHEN c.end_reason IN ($end_second_track, $end_wia_iva, $end_employment_ended) THEN c.end_reason
		WHEN c.end_reason IS NOT NULL THEN $end_other::VARCHAR
		WHEN (c.employee_key, c.recovery_date - 1) IN (SELECT emp, last FROM ({{template "last_days"}})) THEN $end_employment_ended::VARCHAR
		ELSE $end_own_employer::VARCHAR END{{end}}
{{- define "run_end"}}(SELECT min(x.last) FROM ({{template "last_days"}}) x WHERE x.emp = {{.emp}} AND x.last >= {{.day}}){{end}}
