{{/*
The sizes of groups, for small-group protection: for each set of piece
columns (set_id), the employees with an employed day in the period and the
sickness cases with a sick employed day in it, per combination of values
k1, k2, … (.Sets: the key columns of each set, padded with NULLs), over
ed and sd (employed.sql).
*/ -}}
WITH {{template "pieces" .Pieces}},
{{template "employed_and_sick" .}},
ce AS (
	{{- range $i, $keys := .Sets}}{{if $i}}
	UNION ALL{{end}}
	SELECT {{$i}} AS set_id, {{$keys}}, count(DISTINCT emp) AS employees FROM ed GROUP BY ALL
	{{- end}}
),
cc AS (
	{{- range $i, $keys := .Sets}}{{if $i}}
	UNION ALL{{end}}
	SELECT {{$i}} AS set_id, {{$keys}}, count(DISTINCT (emp, fsd)) AS cases FROM sd WHERE sick GROUP BY ALL
	{{- end}}
)
SELECT ce.set_id, {{.Keys}}, ce.employees, coalesce(cc.cases, 0)
FROM ce LEFT JOIN cc ON cc.set_id = ce.set_id AND {{.On}}
