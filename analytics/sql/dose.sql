{{/*
Dose (descriptive): every linked intervention (interventions.sql) with its
sessions band (.Band, from the Go table SessionBands; NULL without a
recorded number of sessions), whether it was completed or stopped (NULL
while ongoing or not recorded), how its case ended ($censored while open)
and the days from its start to the end of the case: obs for tallies.sql.
*/ -}}
{{template "intervention_link" .Link}},
obs AS (
	SELECT typ, {{.Band}} AS band, CASE WHEN done IN ($completed, $stopped) THEN done END AS done,
		CASE WHEN rec IS NOT NULL THEN ends ELSE $censored::VARCHAR END AS outcome, emp, fsd,
		CASE WHEN rec IS NOT NULL THEN greatest(rec - st, 0) ELSE $extract_date::DATE - st END AS t, rec IS NOT NULL AS ev
	FROM ivp WHERE fsd IS NOT NULL
)
