package analytics

// Report is the machine-readable form of a KPISet or Breakdown: the JSON of
// `absence report`. Every group carries the figures under their report
// names (zvp_pct, zmf, gzvd_days, zero_absence_pct, employees, avg_headcount,
// fte, new_cases, closed_cases, open_cases, sick_days, duration_classes,
// frequent_absentees, …); a suppressed group has "suppressed": true and null
// figures.
type Report struct {
	From         string  `json:"from"`
	To           string  `json:"to"`
	Days         int     `json:"days"`
	CutAtExtract bool    `json:"cut_at_extract"`
	ExtractDate  string  `json:"extract_date"`
	By           string  `json:"by,omitempty"`
	Total        Group   `json:"total"`
	Groups       []Group `json:"groups,omitempty"`
}

// Report returns the breakdown in report form.
func (b BreakdownResult) Report() Report {
	return Report{
		From: day(b.Period.From), To: day(b.Period.To), Days: b.Period.Days, CutAtExtract: b.Period.CutAtExtract,
		ExtractDate: day(b.ExtractDate), By: string(b.Dimension), Total: b.Total, Groups: b.Groups,
	}
}

// Report returns the KPI set in report form.
func (k KPISet) Report() Report {
	return BreakdownResult{Period: k.Period, ExtractDate: k.ExtractDate, Total: k.Total}.Report()
}
