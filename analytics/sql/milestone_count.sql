{{/* Whether milestone dates were imported at all. */ -}}
SELECT count(*) FROM milestones
