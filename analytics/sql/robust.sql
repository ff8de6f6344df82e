{{/*
The cases of recovery.sql one by one, for the robust (clustered) variance,
in the order of their employee and first sick day: the sums over them are
then added in an order given by the data, not by DuckDB's plan.
*/ -}}
WITH {{.With}}
SELECT {{.Keys}}emp, t, ev FROM obs
ORDER BY emp, fsd
