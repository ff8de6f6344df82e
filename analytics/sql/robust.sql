{{/* The cases of recovery.sql one by one, for the robust (clustered) variance. */ -}}
WITH {{.With}}
SELECT {{.Keys}}emp, t, ev FROM obs
