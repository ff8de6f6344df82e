{{/*
The series (trends), as a sweep: every employment piece and sick stretch
becomes a +/− event, a running sum over the days gives the employed FTE,
headcount and sick FTE of each day, and each span (.Spans: id, first and
last day) sums its days, per group g1… (.Groups). The days swept run from
$sweep_from to $sweep_to, the first and last day of all spans. Cases
(kases) are attributed to the piece holding their first sick day. The last
two columns are lower bounds of the distinct employees and cases of a span,
for small-group protection. The part-time factors and sick FTE are counted
as exact integers (exact_term, exact_sum.go) from the pieces and sick
stretches up to the final SELECT, which reads the sums as DOUBLEs
(from_exact): a sum, running sums too, does not depend on the order DuckDB
adds its terms in (and the FTE of a day without employees is 0).
*/ -}}
WITH {{template "pieces" .Pieces}},
fpa AS (SELECT {{.Groups}}, emp, s, e, ptf FROM pieces WHERE {{.Filter}}),
fp AS (SELECT *, {{exact_term "ptf"}} AS fte FROM fpa WHERE s <= $sweep_to::DATE AND e > $sweep_from::DATE),
{{template "segments" (args "From" "$sweep_from::DATE" "To" "$sweep_to::DATE")}},
sp AS (
	SELECT *, CASE WHEN sick THEN y_preg ELSE 0 END AS y, CASE WHEN sick THEN fte ELSE 0 END AS y_full FROM (
		SELECT {{.FpG}}, greatest(s.vf, fp.s) AS a, least(s.vt, fp.e) AS b, fp.fte, {{exact_term "fp.ptf * s.ao"}} AS y_preg,
			s.typ <> 'pregnancy_leave' AS sick
		FROM seg s JOIN fp ON fp.emp = s.emp AND s.vf < fp.e AND s.vt > fp.s)
),
kases AS (
	SELECT {{.FpaG}}, c.first_sick_day AS fsd, c.recovery_date AS rec
	FROM absence_cases c JOIN fpa ON fpa.emp = c.employee_key AND fpa.s <= c.first_sick_day AND c.first_sick_day < fpa.e
	WHERE c.absence_type IN {{template "sick_types"}} AND c.first_sick_day <= $sweep_to::DATE
),
-- Step quantities change by +/- at a date (an end date is exclusive, so the
-- change applies from that day); point quantities happen on a date.
ev AS (
	SELECT {{.G}}, s AS d, 1 AS hc, fte, 0::HUGEINT AS y, 0::HUGEINT AS y_preg, 0::HUGEINT AS y_full, 0 AS run, 0 AS openc, 0 AS newc, 0 AS closed, 0 AS dur FROM fp
	UNION ALL SELECT {{.G}}, e, -1, -fte, 0, 0, 0, 0, 0, 0, 0, 0 FROM fp
	UNION ALL SELECT {{.G}}, a, 0, 0, y, y_preg, y_full, sick::INTEGER, 0, 0, 0, 0 FROM sp
	UNION ALL SELECT {{.G}}, b, 0, 0, -y, -y_preg, -y_full, -sick::INTEGER, 0, 0, 0, 0 FROM sp
	UNION ALL SELECT {{.G}}, fsd, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0 FROM kases
	UNION ALL SELECT {{.G}}, rec, 0, 0, 0, 0, 0, 0, -1, 0, 1, rec - fsd FROM kases WHERE rec IS NOT NULL
),
steps AS (
	SELECT {{.G}}, greatest(d, $sweep_from::DATE) AS d, sum(hc) AS hc, sum(fte) AS fte, sum(y) AS y,
		sum(y_preg) AS y_preg, sum(y_full) AS y_full, sum(run) AS run, sum(openc) AS openc,
		sum(newc) FILTER (WHERE d >= $sweep_from::DATE) AS newc, sum(closed) FILTER (WHERE d >= $sweep_from::DATE) AS closed,
		sum(dur) FILTER (WHERE d >= $sweep_from::DATE) AS dur
	FROM ev WHERE d <= $sweep_to::DATE GROUP BY ALL
),
cal AS (
	SELECT grp.*, t.d::DATE AS d FROM (SELECT DISTINCT {{.G}} FROM steps) grp, generate_series($sweep_from::DATE, $sweep_to::DATE, INTERVAL 1 DAY) t(d)
),
daily AS (
	SELECT {{.CG}}, c.d,
		sum(coalesce(st.hc, 0)) OVER w AS hc, sum(coalesce(st.fte, 0)) OVER w AS fte,
		sum(coalesce(st.y, 0)) OVER w AS y, sum(coalesce(st.y_preg, 0)) OVER w AS y_preg,
		sum(coalesce(st.y_full, 0)) OVER w AS y_full, sum(coalesce(st.run, 0)) OVER w AS run,
		sum(coalesce(st.openc, 0)) OVER w AS openc,
		coalesce(st.newc, 0) AS newc, coalesce(st.closed, 0) AS closed, coalesce(st.dur, 0) AS dur
	FROM cal c LEFT JOIN steps st ON st.d = c.d AND {{.StJoin}}
	WINDOW w AS (PARTITION BY {{.CG}} ORDER BY c.d ROWS UNBOUNDED PRECEDING)
),
spans(id, s, e) AS (VALUES {{.Spans}})
SELECT r.id, {{.DdG}}, sum(hc)::DOUBLE, {{from_exact "sum(fte)"}}, {{from_exact "sum(y)"}}, {{from_exact "sum(y_preg)"}}, {{from_exact "sum(y_full)"}},
	sum(newc)::DOUBLE, sum(closed)::DOUBLE, sum(dur)::DOUBLE, arg_max(openc, dd.d)::DOUBLE,
	max(hc)::DOUBLE, (arg_min(run, dd.d) + coalesce(sum(newc) FILTER (WHERE dd.d > r.s), 0))::DOUBLE
FROM spans r JOIN daily dd ON dd.d BETWEEN r.s AND r.e
GROUP BY r.id, {{.DdG}}
