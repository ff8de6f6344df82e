{{/*
Interventions linked to sickness cases, the CTEs ending in obs for
tallies.sql.

ivl: every intervention started in P (its sessions, done: its own outcome
completed | stopped | ongoing, cost, payer and the employer's name), with the sickness case it belongs to
(the case open on its start date; a $return_talk belongs to the case whose
recovery date lies within $return_talk_window_days days of it, the nearest),
or the reason unlinked why there is none ($unlinked_not_sickness: during
pregnancy leave or an absence of type other; $unlinked_no_case: no case).
ivp: those of the population: the contract valid on the case's first sick
day, or on the start date when unlinked; without a population filter
(.NoContract) also the unlinked ones on a day without a contract
($unlinked_no_contract). rec is the recovery date when it lies on or before
the extract date, ends how the case ended then, reason its end reason.

obs: per linked intervention its type and provider, how its case ended
($censored while open), the time from the start to the end of the case and
the wait from the first sick day to the start.
*/ -}}
{{define "intervention_link"}}{{template "pieces" .Pieces}},
fp AS (SELECT * FROM pieces WHERE {{.Filter}}),
iv AS (
	SELECT row_number() OVER () AS iid, employee_key AS emp, intervention_type AS typ, coalesce(provider, $not_recorded) AS prov, start_date AS st,
		sessions, outcome AS done, cost, payer, e.name AS employer
	FROM interventions LEFT JOIN employers e USING (employer_id) WHERE start_date BETWEEN $period_from::DATE AND $period_to::DATE
),
cand AS (
	SELECT v.iid, c.absence_type IN {{template "sick_types"}} AS sick, c.first_sick_day AS fsd, c.end_reason AS reason,
		CASE WHEN c.recovery_date <= $extract_date::DATE THEN c.recovery_date END AS rec,
		CASE WHEN c.recovery_date <= $extract_date::DATE THEN {{template "case_end"}} END AS ends,
		coalesce(v.typ = $return_talk AND c.recovery_date <= $extract_date::DATE AND abs(c.recovery_date - v.st) <= $return_talk_window_days, false) AS near,
		abs(c.recovery_date - v.st) AS dist
	FROM iv v JOIN absence_cases c ON c.employee_key = v.emp AND (
		(c.first_sick_day <= v.st AND v.st < coalesce(c.recovery_date, {{template "open_end"}}))
		OR (v.typ = $return_talk AND c.absence_type IN {{template "sick_types"}} AND c.first_sick_day <= v.st AND c.recovery_date <= $extract_date::DATE
			AND abs(c.recovery_date - v.st) <= $return_talk_window_days))
),
pick AS (
	SELECT * FROM cand WHERE sick QUALIFY row_number() OVER (PARTITION BY iid ORDER BY near DESC, dist, rec) = 1
),
ivl AS (
	SELECT v.emp, v.typ, v.prov, v.st, v.sessions, v.done, v.cost, v.payer, v.employer, k.fsd, k.rec, k.ends, k.reason,
		CASE WHEN k.iid IS NOT NULL THEN NULL
			WHEN EXISTS (SELECT 1 FROM cand x WHERE x.iid = v.iid) THEN $unlinked_not_sickness::VARCHAR
			ELSE $unlinked_no_case::VARCHAR END AS unlinked
	FROM iv v LEFT JOIN pick k USING (iid)
),
ivp AS (
	SELECT l.* FROM ivl l JOIN fp p ON p.emp = l.emp AND p.s <= coalesce(l.fsd, l.st) AND coalesce(l.fsd, l.st) < p.e
	{{- if .NoContract}}
	UNION ALL
	SELECT l.* REPLACE ($unlinked_no_contract::VARCHAR AS unlinked) FROM ivl l
	WHERE l.fsd IS NULL AND NOT EXISTS (SELECT 1 FROM fp p WHERE p.emp = l.emp AND p.s <= l.st AND l.st < p.e)
	{{- end}}
){{end}}
{{- template "intervention_link" .}},
obs AS (
	SELECT typ, prov, CASE WHEN rec IS NOT NULL THEN ends ELSE $censored::VARCHAR END AS outcome, emp, fsd,
		CASE WHEN rec IS NOT NULL THEN greatest(rec - st, 0) ELSE $extract_date::DATE - st END AS t, rec IS NOT NULL AS ev, st - fsd AS wait
	FROM ivp WHERE fsd IS NOT NULL
)
