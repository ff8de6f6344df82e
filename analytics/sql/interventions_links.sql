{{/* Each intervention of the population with the first sick day of its case (NULL: unlinked), for tests and checks. */ -}}
WITH {{template "intervention_link" .}}
SELECT emp, typ, st, fsd FROM ivp ORDER BY emp, st, typ
