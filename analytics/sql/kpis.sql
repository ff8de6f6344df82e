{{/*
The statistics (KPIs and breakdowns): one row per group plus the total.

Reading order: pieces of employment (pieces.sql) → employed stretches inside
P (ed) → sick stretches inside P and inside employment (sd) → per-case sums
(case_days). Then three aggregations: per employee (emp_days, emp_y → grp:
headcount, FTE, ZVP, the interval's sums, zero absence, frequent
absentees), per case (kgrp: cases, variants, duration classes) and the
cases attributed to the piece holding their first sick day (cases → cgrp:
new, closed, open, durations). With a dimension the total is computed
alongside the groups (GROUPING SETS, and the employed stretches once more
with tot set), so an employee is one cluster of the total even when groups
split their days. Only the per-employee step works on every employee, so it
carries as few sums as possible. Columns: tot, g1…, then the sums that
rawRow scans in kpis.go (y1 and y2: the sick FTE days in the cases' first
and second year, for the cost), ending with two per duration class (.Classes: the
FILTER of its sick cases by length len, from $class_N_min to $class_N_max; the
last class also takes longer cases). Fractions are added exactly, so that a
sum does not depend on the order DuckDB adds its terms in (exact_sum.go):
the FTE days x and y, y_full, y1, y2 are kept as exact integers (exact_term)
up to the final SELECT, which reads them as DOUBLEs (from_exact).
*/ -}}
{{define "kpi_is_total"}}{{if .ByGroup}}grouping(g1) = 1{{else}}true{{end}}{{end -}}
WITH {{template "pieces" .Pieces}},
{{template "employed_and_sick" .}},
case_days AS MATERIALIZED (
	SELECT {{template "kpi_is_total" .}} AS tot, {{.G}}, emp, fsd, any_value(sick) AS sick, any_value(vg) AS vg, any_value(len) AS len,
		sum({{exact_term "days * ptf * ao"}}) AS y, sum({{exact_term "days * ptf"}}) AS y_full,
		sum({{exact_term "d1 * ptf * ao"}}) AS y1, sum({{exact_term "d2 * ptf * ao"}}) AS y2
	FROM sd {{if .ByGroup}}GROUP BY GROUPING SETS (({{.G}}, emp, fsd), (emp, fsd)){{else}}GROUP BY ALL{{end}}
),
-- The employed stretches, once per group and, with a dimension, once more
-- for the total.
emp_days AS (
	SELECT tot, {{.G}}, emp, sum(x) AS x, sum(hd) AS hd FROM (
		SELECT {{if .ByGroup}}false{{else}}true{{end}} AS tot, {{.G}}, emp, {{exact_term "(oe - os) * ptf"}} AS x, oe - os AS hd FROM ed
		{{- if .ByGroup}}
		UNION ALL SELECT true AS tot, {{.Nulls}}, emp, {{exact_term "(oe - os) * ptf"}} AS x, oe - os AS hd FROM ed{{end}})
	GROUP BY ALL
),
emp_y AS (
	SELECT tot, {{.G}}, emp, sum(y) AS y FROM case_days WHERE sick GROUP BY ALL
),
freq AS (
	SELECT employee_key AS emp FROM absence_cases
	WHERE absence_type IN {{template "frequent_types"}} AND first_sick_day > $frequent_window_after::DATE AND first_sick_day <= $period_to::DATE
	GROUP BY employee_key HAVING count(*) >= $frequent_threshold
),
grp AS (
	SELECT d.tot, {{.DG}}, count(*) AS employees, sum(d.hd) AS hd, sum(d.x) AS x,
		coalesce(sum(s.y), 0) AS y, coalesce({{exact_product_sum "s.y" "s.y"}}, 0) AS yy, {{exact_product_sum "d.x" "d.x"}} AS xx,
		coalesce({{exact_product_sum "d.x" "s.y"}}, 0) AS xy,
		count(*) FILTER (WHERE s.y IS NULL) AS zero,
		count(f.emp) AS frequent
	FROM emp_days d
	LEFT JOIN emp_y s ON s.emp = d.emp AND s.tot = d.tot AND {{.SDJoin}}
	LEFT JOIN freq f ON f.emp = d.emp
	GROUP BY ALL
),
kgrp AS (
	SELECT tot, {{.G}}, sum(y) AS y_preg, coalesce(sum(y_full) FILTER (WHERE sick), 0) AS y_full,
		count(*) FILTER (WHERE sick) AS cases,
		coalesce(sum(y) FILTER (WHERE sick AND vg), 0) AS y_vg, count(*) FILTER (WHERE sick AND vg) AS vg_cases,
		coalesce(sum(y1) FILTER (WHERE sick), 0) AS y1, coalesce(sum(y2) FILTER (WHERE sick), 0) AS y2
		{{- range $i, $c := .Classes}},
		coalesce(sum(y) {{$c}}, 0) AS y_c{{$i}}, count(*) {{$c}} AS n_c{{$i}}
		{{- end}}
	FROM case_days GROUP BY ALL
),
cases AS (
	SELECT {{.PCols}}, c.first_sick_day AS fsd, c.recovery_date AS rec
	FROM absence_cases c JOIN fp p ON p.emp = c.employee_key AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
	WHERE c.absence_type IN {{template "sick_types"}} AND c.first_sick_day <= $period_to::DATE AND coalesce(c.recovery_date, {{template "open_end"}}) >= $period_from::DATE
),
cgrp AS (
	SELECT {{template "kpi_is_total" .}} AS tot, {{.G}},
		count(*) FILTER (WHERE fsd >= $period_from::DATE) AS new_cases,
		count(*) FILTER (WHERE rec <= $period_to::DATE) AS closed,
		coalesce(sum(rec - fsd) FILTER (WHERE rec <= $period_to::DATE), 0) AS dur,
		median(rec - fsd) FILTER (WHERE rec <= $period_to::DATE) AS dur_median,
		count(*) FILTER (WHERE rec IS NULL OR rec > $period_to::DATE) AS open
	FROM cases {{if .ByGroup}}GROUP BY GROUPING SETS (({{.G}}), ()){{else}}GROUP BY ALL{{end}}
),
ag AS (
	SELECT coalesce(a.tot, k.tot) AS tot, {{.CoalescedAK}}, a.employees, a.hd, a.x, a.y, a.yy, a.xx, a.xy, a.zero, a.frequent,
		k.y_preg, k.y_full, k.cases, k.y_vg, k.vg_cases, k.y1, k.y2{{range $i, $c := .Classes}}, k.y_c{{$i}}, k.n_c{{$i}}{{end}}
	FROM grp a FULL JOIN kgrp k ON k.tot = a.tot AND {{.JoinAK}}
)
SELECT coalesce(a.tot, c.tot), {{.CoalescedG}},
	coalesce(a.employees, 0), coalesce(a.hd, 0), {{from_exact "coalesce(a.x, 0)"}}, {{from_exact "coalesce(a.y, 0)"}}, {{from_exact "coalesce(a.y_preg, 0)"}},
	{{from_exact "coalesce(a.y_full, 0)"}}, coalesce(a.yy, 0), coalesce(a.xx, 0), coalesce(a.xy, 0),
	coalesce(a.zero, 0), coalesce(a.frequent, 0), coalesce(a.cases, 0), {{from_exact "coalesce(a.y_vg, 0)"}}, coalesce(a.vg_cases, 0),
	coalesce(c.new_cases, 0), coalesce(c.closed, 0), coalesce(c.open, 0), coalesce(c.dur, 0), c.dur_median,
	{{from_exact "coalesce(a.y1, 0)"}}, {{from_exact "coalesce(a.y2, 0)"}}
	{{- range $i, $c := .Classes}}, {{from_exact (print "coalesce(a.y_c" $i ", 0)")}}, coalesce(a.n_c{{$i}}, 0){{end}}
FROM ag a FULL JOIN cgrp c ON c.tot = a.tot AND {{.JoinG}}
