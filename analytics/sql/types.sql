{{/*
The absence types by what they count for, and the open end of a date range.

sick_types count as sickness in every standard figure (ZVP, ZMF, GZVD,
durations, survival): the 1996 standard and CBS count incapacity from
sickness, pregnancy-related sickness included; organ donation is incapacity
of the same kind (Xpert Suite classifies it "Ziek t.g.v. orgaandonatie").

frequent_types count towards frequent absence and the Bradford factor:
pregnancy-related sickness never does (holding it against an employee is
unequal treatment on grounds of sex: Algemene wet gelijke behandeling,
art. 7:646 BW), nor does organ donation.

vangnet_case holds for a case of alias c the Ziektewet pays for (the
vangnet): pregnancy-related sickness (art. 29a ZW), organ donation, and any
case the export flags (no-risk polis).

Pregnancy leave ('pregnancy_leave') is never sickness; type 'other' counts
nowhere.
*/}}
{{- define "sick_types"}}('sickness', 'sickness_pregnancy', 'organ_donation'){{end}}
{{- define "frequent_types"}}('sickness'){{end}}
{{- define "vangnet_case"}}(c.absence_type IN ('sickness_pregnancy', 'organ_donation') OR coalesce(c.vangnet, false)){{end}}
{{- define "open_end"}}DATE '9999-12-31'{{end}}
