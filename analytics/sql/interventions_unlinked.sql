{{/* The interventions of the population per reason they could not be linked (NULL: linked); see interventions.sql. */ -}}
WITH {{template "intervention_link" .}}
SELECT unlinked, count(*) FROM ivp GROUP BY ALL ORDER BY unlinked NULLS FIRST
