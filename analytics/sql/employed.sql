{{/*
The days of the period P = [$period_from, $period_to] that the statistics
count, after pieces: fp, the pieces of the population (.Filter); ed, the
stretches [os, oe) of employment inside P with the group columns .Cols; seg
(segments.sql); and sd, the stretches of sickness and pregnancy leave inside
P and inside employment, with the group columns .EdCols of ed: days, the
part-time factor ptf, the fraction absent ao, sick (not pregnancy leave),
vg (vangnet), len, the case's length up to its recovery date or the end
of P, and d1 and d2, the days of the stretch in the case's first year (case
days 1–365) and second year (366–730), for the wage continuation of the
cost of absence.
*/}}
{{- define "employed_and_sick"}}fp AS (SELECT * FROM pieces WHERE {{.Filter}}),
ed AS MATERIALIZED (
	SELECT {{.Cols}}, emp, ptf, greatest(s, $period_from::DATE) AS os, least(e, $period_to::DATE + 1) AS oe
	FROM fp WHERE s <= $period_to::DATE AND e > $period_from::DATE
),
{{template "segments" (args "From" "$period_from::DATE" "To" "$period_to::DATE")}},
sd AS (
	SELECT {{.EdCols}}, ed.emp, ed.ptf, s.fsd, s.typ <> 'pregnancy_leave' AS sick, s.vg, s.ao,
		least(coalesce(s.rec, {{template "open_end"}}), $period_to::DATE + 1) - s.fsd AS len,
		least(s.vt, ed.oe) - greatest(s.vf, ed.os) AS days,
		greatest(0, least(s.vt, ed.oe, s.fsd + 365) - greatest(s.vf, ed.os)) AS d1,
		greatest(0, least(s.vt, ed.oe, s.fsd + 730) - greatest(s.vf, ed.os, s.fsd + 365)) AS d2
	FROM seg s JOIN ed ON ed.emp = s.emp AND s.vf < ed.oe AND s.vt > ed.os
)
{{- end}}
