{{/*
Poortwachter tracks: the sickness cases chained into tracks, and for the
tracks of the population that are open on the extract date or reach
$min_days sick days and overlap the period, long-format rows in this order
per track: a header row ('a', with the department and team of the
employment on the track's first sick day), one row per case ('b', to count sick days)
and one per recorded milestone date ('c').

Chaining, per employee and absence type (pregnancy-related sickness and
organ donation never join other sickness): a case continues the track of
the previous case of its type when fewer than $samentelling_gap_days days
lie between that one's recovery date and its first sick day, counted from
the end of the pregnancy leave when the previous case adjoins a leave (its
recovery date is the leave's first day). Sick days are counted through the
extract date for an open case; later sick days are projected (it is
assumed to continue). Employees are named, and ordered, by their pseudonym.

.OpenOnly: only the tracks open on the extract date (for the deadlines),
chained from the cases of the employees with a case open on it — an open
track has one — instead of every employee's.
*/ -}}
WITH {{template "pieces" .Pieces}},
fp AS (SELECT * FROM pieces WHERE {{.Filter}}),
tc AS (
	SELECT employee_key AS emp, first_sick_day AS fsd, absence_type AS typ,
		CASE WHEN recovery_date <= $extract_date::DATE THEN recovery_date END AS rec,
		least(coalesce(recovery_date, $extract_date::DATE + 1), $extract_date::DATE + 1) AS re
	FROM absence_cases
	WHERE (absence_type IN {{template "sick_types"}} OR absence_type = 'pregnancy_leave') AND first_sick_day <= $extract_date::DATE
	{{- if .OpenOnly}}
		AND employee_key IN (SELECT employee_key FROM absence_cases WHERE first_sick_day <= $extract_date::DATE AND (recovery_date IS NULL OR recovery_date > $extract_date::DATE))
	{{- end}}
),
sk AS (
	SELECT *, lag(re) OVER (PARTITION BY emp, typ ORDER BY fsd) AS prev_re FROM tc WHERE typ <> 'pregnancy_leave'
),
tr AS (
	SELECT sk.*, sk.typ || '-' || sum(CASE WHEN sk.prev_re IS NULL OR sk.fsd - coalesce(l.re, sk.prev_re) >= $samentelling_gap_days THEN 1 ELSE 0 END)
		OVER (PARTITION BY sk.emp, sk.typ ORDER BY sk.fsd ROWS UNBOUNDED PRECEDING) AS track
	FROM sk LEFT JOIN tc l ON l.typ = 'pregnancy_leave' AND l.emp = sk.emp AND l.fsd = sk.prev_re
),
cs AS (
	SELECT emp, track, typ, fsd, rec, re,
		min(fsd) OVER t AS track_start, count(*) OVER t AS n_cases, sum(re - fsd) OVER t AS sick_days,
		bool_or(rec IS NULL) OVER t AS open, max(re) OVER t AS last_re, max(fsd) OVER t AS cur
	FROM tr WINDOW t AS (PARTITION BY emp, track)
),
ft AS (
	SELECT c.emp, c.track, min(p.dept) AS dept, min(p.team) AS team
	FROM cs c JOIN fp p ON p.emp = c.emp AND p.s <= c.fsd AND c.fsd < p.e
	WHERE c.fsd = c.track_start AND (c.open {{- if not .OpenOnly}} OR (c.sick_days >= $min_days AND c.track_start <= $period_to::DATE AND c.last_re + 3 >= $period_from::DATE){{end}})
	GROUP BY c.emp, c.track
),
tracks AS (
SELECT emp, track, 'a' AS kind, any_value(typ) AS name, any_value(track_start) AS d, any_value(cur) AS d2,
	any_value(n_cases) AS n_cases, any_value(sick_days) AS sick_days, bool_or(open) AS open, any_value(last_re) AS last_re,
	any_value(dept) AS dept, any_value(team) AS team
FROM cs JOIN ft USING (emp, track) GROUP BY emp, track
UNION ALL
SELECT emp, track, 'b', NULL, fsd, re, NULL, NULL, rec IS NULL, NULL, NULL, NULL FROM cs JOIN ft USING (emp, track)
UNION ALL
SELECT c.emp, c.track, 'c', m.milestone, m.done_date, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM milestones m JOIN cs c ON c.emp = m.employee_key AND c.fsd = m.first_sick_day
JOIN ft USING (emp, track)
WHERE m.done_date <= $extract_date::DATE
)
SELECT k.pseudonym AS emp, t.* EXCLUDE (emp) FROM tracks t JOIN employees k ON k.employee_key = t.emp
ORDER BY k.pseudonym, track, kind, d
