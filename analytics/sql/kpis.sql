{{/*
The statistics (KPIs and breakdowns): one row per group plus the total.

Reading order: pieces of employment (pieces.sql) → employed stretches inside
P (ed) → sick stretches inside P and inside employment (sd; sdx, their
terms and the duration class cls of their case: .Classes are the
conditions of each class's sick cases by length len, from $class_N_min to
$class_N_max, the last class also taking longer cases; they do not
overlap). Then the aggregations: of the employed stretches (eds: headcount
and FTE days); per employee (emp_days, emp_y → grp: employees, the sums of
squares for the ZVP's interval, zero absence, frequent absentees); of the
sick stretches by variant and class (kparts → kgrp: sick FTE days); each
sick case once (kcases → kcnt: cases by variant and class); and the cases
attributed to the piece holding their first sick day (cases → cgrp: new,
closed, open, durations). Each is per group and for the total (tot): with
a dimension the total is computed alongside the groups (GROUPING SETS, by
.Tot and kpi_group_by; .Again and .GroupAgain add such rows up once more),
so an employee is one cluster of the total even when groups split their
days; without one (.GroupedBy empty) the total alone, ungrouped where no
keys are left. Columns: tot, g1…, then the sums that rawRow scans in
kpis.go (y1 and y2: the sick FTE days in the cases' first and second year,
for the cost), ending with two per duration class. Fractions are added
exactly, so that a sum does not depend on the order DuckDB adds its terms
in (exact_sum.go): every FTE day term is split into two integer parts
(exact_parts), added part by part (exact_sum) and read back as a DOUBLE in
the final SELECT (from_exact_parts); the employees' own sums also before
their squares are taken.
*/ -}}
{{define "kpi_group_by"}}{{if .G}}GROUP BY GROUPING SETS (({{.G}}{{if .Keys}}, {{.Keys}}{{end}}), ({{.Keys}})){{else if .Keys}}GROUP BY {{.Keys}}{{end}}{{end -}}
WITH {{template "pieces" .Pieces}},
{{template "employed_and_sick" .}},
sdx AS MATERIALIZED (
	SELECT {{.G}}, emp, fsd, sick, vg, cls, {{exact_parts "y" "y"}}, {{exact_parts "y_full" "y_full"}}, {{exact_parts "y1" "y1"}}, {{exact_parts "y2" "y2"}}
	FROM (
		SELECT {{.G}}, emp, fsd, sick, vg, CASE {{range $i, $c := .Classes}}WHEN {{$c}} THEN {{$i}} {{end}}END AS cls,
			days * ptf * ao AS y, days * ptf AS y_full, d1 * ptf * ao AS y1, d2 * ptf * ao AS y2
		FROM sd)
),
-- The employed days and FTE days.
eds AS (
	SELECT {{.Tot}}, sum(hd) AS hd, {{exact_sum "x" "x" ""}} FROM (SELECT {{.G}}, oe - os AS hd, {{exact_parts "(oe - os) * ptf" "x"}} FROM ed)
	{{template "kpi_group_by" (args "G" (print .GroupedBy) "Keys" "")}}
),
-- Per employee: the FTE days, the sick FTE days, frequent absence.
emp_days AS (
	SELECT {{.Tot}}, emp, {{exact_sum "x" "x" ""}} FROM (SELECT {{.G}}, emp, {{exact_parts "(oe - os) * ptf" "x"}} FROM ed)
	{{template "kpi_group_by" (args "G" (print .GroupedBy) "Keys" "emp")}}
),
emp_y AS (
	SELECT {{.Tot}}, emp, {{exact_sum "y" "y" ""}} FROM sdx WHERE sick
	{{template "kpi_group_by" (args "G" (print .GroupedBy) "Keys" "emp")}}
),
freq AS (
	SELECT employee_key AS emp FROM absence_cases
	WHERE absence_type IN {{template "frequent_types"}} AND first_sick_day > $frequent_window_after::DATE AND first_sick_day <= $period_to::DATE
	GROUP BY employee_key HAVING count(*) >= $frequent_threshold
),
-- (yv is 0 without sick days: its squares add 0.)
emps AS (
	SELECT d.tot, {{.DG}}, {{from_exact_parts "d.x"}} AS xv, {{from_exact_parts "s.y"}} AS yv, s.emp IS NULL AS zero, f.emp IS NOT NULL AS frequent
	FROM emp_days d
	LEFT JOIN emp_y s ON s.emp = d.emp AND s.tot = d.tot AND {{.SDJoin}}
	LEFT JOIN freq f ON f.emp = d.emp
),
-- Employees, and the sums of squares for the ZVP's interval.
grp AS (
	SELECT {{.Again}}, count(*) AS employees, {{exact_sum "yy" "yy" ""}}, {{exact_sum "xx" "xx" ""}}, {{exact_sum "xy" "xy" ""}},
		count(*) FILTER (WHERE zero) AS zero, count(*) FILTER (WHERE frequent) AS frequent
	FROM (SELECT *, {{exact_parts "yv * yv" "yy"}}, {{exact_parts "xv * xv" "xx"}}, {{exact_parts "xv * yv" "xy"}} FROM emps)
	{{.GroupAgain}}
),
-- The sick FTE days by variant and duration class, then per group.
kparts AS (
	SELECT {{.Tot}}, sick, vg, cls,
		{{exact_sum "y" "y" ""}}, {{exact_sum "y_full" "y_full" ""}}, {{exact_sum "y1" "y1" ""}}, {{exact_sum "y2" "y2" ""}}
	FROM sdx {{template "kpi_group_by" (args "G" (print .GroupedBy) "Keys" "sick, vg, cls")}}
),
kgrp AS (
	SELECT tot, {{.G}}, {{exact_sum "y" "y_preg" ""}}, {{exact_sum "y" "y" "FILTER (WHERE sick)"}}, {{exact_sum "y_full" "y_full" "FILTER (WHERE sick)"}},
		{{exact_sum "y" "y_vg" "FILTER (WHERE sick AND vg)"}},
		{{exact_sum "y1" "y1" "FILTER (WHERE sick)"}}, {{exact_sum "y2" "y2" "FILTER (WHERE sick)"}}
		{{- range $i, $c := .Classes}}, {{exact_sum "y" (print "y_c" $i) (print "FILTER (WHERE cls = " $i ")")}}{{end}}
	FROM kparts GROUP BY tot, {{.G}}
),
-- Each sick case once per group (and once for the total).
kcases AS (
	SELECT {{.Tot}}, vg, cls FROM sdx WHERE sick
	{{template "kpi_group_by" (args "G" (print .GroupedBy) "Keys" "emp, fsd, vg, cls")}}
),
kcnt AS (
	SELECT {{.Again}}, count(*) AS cases, count(*) FILTER (WHERE vg) AS vg_cases
		{{- range $i, $c := .Classes}}, count(*) FILTER (WHERE cls = {{$i}}) AS n_c{{$i}}{{end}}
	FROM kcases {{.GroupAgain}}
),
cases AS (
	SELECT {{.PCols}}, c.first_sick_day AS fsd, c.recovery_date AS rec
	FROM absence_cases c JOIN fp p ON p.emp = c.employee_key AND p.s <= c.first_sick_day AND c.first_sick_day < p.e
	WHERE c.absence_type IN {{template "sick_types"}} AND c.first_sick_day <= $period_to::DATE AND coalesce(c.recovery_date, {{template "open_end"}}) >= $period_from::DATE
),
cgrp AS (
	SELECT {{.Tot}},
		count(*) FILTER (WHERE fsd >= $period_from::DATE) AS new_cases,
		count(*) FILTER (WHERE rec <= $period_to::DATE) AS closed,
		coalesce(sum(rec - fsd) FILTER (WHERE rec <= $period_to::DATE), 0) AS dur,
		median(rec - fsd) FILTER (WHERE rec <= $period_to::DATE) AS dur_median,
		count(*) FILTER (WHERE rec IS NULL OR rec > $period_to::DATE) AS open
	FROM cases {{template "kpi_group_by" (args "G" (print .GroupedBy) "Keys" "")}}
),
-- Every group with sick stretches has employed stretches, and every group
-- with sick cases has sick stretches.
ag AS (
	SELECT a.*, e.* EXCLUDE (tot, {{.G}}), k.* EXCLUDE (tot, {{.G}}), n.* EXCLUDE (tot, {{.G}})
	FROM grp a JOIN eds e ON e.tot = a.tot AND {{.JoinAE}}
	LEFT JOIN kgrp k ON k.tot = a.tot AND {{.JoinAK}}
	LEFT JOIN kcnt n ON n.tot = a.tot AND {{.JoinAN}}
)
SELECT coalesce(a.tot, c.tot), {{.CoalescedG}},
	coalesce(a.employees, 0), coalesce(a.hd, 0), {{from_exact_parts "a.x"}}, {{from_exact_parts "a.y"}}, {{from_exact_parts "a.y_preg"}},
	{{from_exact_parts "a.y_full"}}, {{from_exact_parts "a.yy"}}, {{from_exact_parts "a.xx"}}, {{from_exact_parts "a.xy"}},
	coalesce(a.zero, 0), coalesce(a.frequent, 0), coalesce(a.cases, 0), {{from_exact_parts "a.y_vg"}}, coalesce(a.vg_cases, 0),
	coalesce(c.new_cases, 0), coalesce(c.closed, 0), coalesce(c.open, 0), coalesce(c.dur, 0), c.dur_median,
	{{from_exact_parts "a.y1"}}, {{from_exact_parts "a.y2"}}
	{{- range $i, $c := .Classes}}, {{from_exact_parts (print "a.y_c" $i)}}, coalesce(a.n_c{{$i}}, 0){{end}}
FROM ag a FULL JOIN cgrp c ON c.tot = a.tot AND {{.JoinG}}
