{{/*
The size of a pool of employers: how many employers of the scope have an
employed day in P in the population of .Filter.
*/ -}}
WITH {{template "pieces" .Pieces}}
SELECT count(DISTINCT employer) FROM pieces
WHERE {{.Filter}} AND s <= $period_to::DATE AND e > $period_from::DATE
