{{/*
pieces (emp, s, e, ptf, dept, team, loc, gender, hours_band, age_band,
tenure_band, employer): every employment record, cut where the employee moves into
another age band (1 January) or tenure band (a service anniversary) when
the query needs those bands (.Age, .Tenure). Every query works on pieces,
so an attribute is always the one valid on the day that is counted. s is
the first day, e the day after the last (exclusive), an open end
DATE '9999-12-31'. The bands are the Go tables AgeBands, HoursBands and
TenureBands, bound as parameters ($hours_band_N, $age_band_N_from, …).
employer, the employer's id as text, is filled only for a breakdown by
employer (.Employer).
*/}}
{{- define "pieces"}}emp_rows AS (
	SELECT employee_key AS emp, start_date AS s, coalesce(end_date + 1, {{template "open_end"}}) AS e,
		contract_hours / fulltime_hours AS ptf,
		department AS dept, coalesce(team, $not_recorded) AS team, coalesce(location, $not_recorded) AS loc,
		coalesce(gender, $not_recorded) AS gender, birth_year,
		{{.HoursBand}} AS hours_band{{if .Employer}}, employer_id::VARCHAR AS employer{{end}}
	FROM employments
)
{{- if .Tenure}},
-- Service is unbroken while a contract starts the day after the previous
-- one ended; tenure counts from the start of that run.
service AS (
	SELECT *, min(s) OVER (PARTITION BY emp, run) AS service_start FROM (
		SELECT *, sum(CASE WHEN s = prev_e THEN 0 ELSE 1 END) OVER (PARTITION BY emp ORDER BY s) AS run
		FROM (SELECT *, lag(e) OVER (PARTITION BY emp ORDER BY s) AS prev_e FROM emp_rows))
),
tenure_bands AS MATERIALIZED (SELECT * FROM {{.TenureBands}} t(label, lo, hi)),
tenure_cut AS (
	SELECT * EXCLUDE (s, e, lo, hi, ts, te, run, prev_e, service_start), greatest(s, ts) AS s, least(e, te) AS e FROM (
		SELECT r.*, t.label AS tenure_band, t.lo, t.hi,
			(r.service_start + to_years(t.lo::INTEGER))::DATE AS ts,
			(r.service_start + to_years(t.hi::INTEGER))::DATE AS te
		FROM service r, tenure_bands t)
	WHERE greatest(s, ts) < least(e, te)
)
{{- end}}
{{- if .Age}},
-- Age is the calendar year minus the birth year, so bands change on
-- 1 January; a missing birth year is one piece, of the band for "not recorded".
age_bands AS MATERIALIZED (SELECT * FROM {{.AgeBands}} UNION ALL SELECT $not_recorded::VARCHAR, 0::DOUBLE, 0::DOUBLE),
age_cut AS (
	SELECT * EXCLUDE (s, e, lo, hi, a_s, a_e), greatest(s, a_s) AS s, least(e, a_e) AS e FROM (
		SELECT r.*, a.label AS age_band, a.lo, a.hi,
			CASE WHEN r.birth_year IS NULL THEN r.s ELSE make_date(r.birth_year + a.lo::INTEGER, 1, 1) END AS a_s,
			CASE WHEN r.birth_year IS NULL THEN r.e ELSE make_date(r.birth_year + a.hi::INTEGER, 1, 1) END AS a_e
		FROM {{if .Tenure}}tenure_cut{{else}}emp_rows{{end}} r JOIN age_bands a(label, lo, hi)
			ON (r.birth_year IS NULL) = (a.label = $not_recorded))
	WHERE greatest(s, a_s) < least(e, a_e)
)
{{- end}},
pieces AS (
	SELECT emp, s, e, ptf, dept, team, loc, gender, hours_band, {{if .Age}}age_band{{else}}NULL::VARCHAR{{end}} AS age_band,
		{{if .Tenure}}tenure_band{{else}}NULL::VARCHAR{{end}} AS tenure_band, {{if .Employer}}employer{{else}}NULL::VARCHAR{{end}} AS employer
	FROM {{if .Age}}age_cut{{else if .Tenure}}tenure_cut{{else}}emp_rows{{end}}
)
{{- end}}
