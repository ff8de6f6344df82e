{{/* Each intervention of the population with the first sick day of its case (NULL: unlinked), for tests and checks. */ -}}
WITH {{template "intervention_link" .}}
SELECT k.pseudonym, typ, st, fsd FROM ivp JOIN employees k ON k.employee_key = ivp.emp ORDER BY k.pseudonym, st, typ
