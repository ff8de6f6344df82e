{{/*
The cases of recovery.sql one by one, for the robust (clustered) variance,
in the order of their employee's pseudonym and first sick day: the clusters
are numbered in an order given by the data, not by DuckDB's plan nor by the
order employees got their keys in.
*/ -}}
WITH {{.With}}
SELECT {{.Keys}}emp, t, ev FROM obs JOIN employees k ON k.employee_key = obs.emp
ORDER BY k.pseudonym, fsd
