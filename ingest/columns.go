package ingest

import (
	"fmt"
	"regexp"
	"strings"
)

// diagnosisColumn matches headers that carry the nature or cause of an
// illness, which an employer may not record (AP beleidsregels 2016).
var diagnosisColumn = regexp.MustCompile(`(?i)(diagnos|oorzaak|\bcause|\baard\b|ziektebeeld|klacht|\bicd|medisch|medical|illness|kwaal|symptom|reden (ziekte|verzuim|ziekmelding|uitval))`)

// mapColumns finds each canonical field's column in the header and checks the
// header for columns that may not be imported.
func mapColumns(p *Profile, header []string) (map[string]int, []string, error) {
	index := map[string]int{}
	for i, h := range header {
		if _, dup := index[columnKey(h)]; !dup {
			index[columnKey(h)] = i
		}
	}
	cols := map[string]int{}
	used := map[int]bool{}
	var missing []string
	for _, f := range p.fields() {
		h := p.header(f.name)
		if h == "" {
			continue
		}
		i, ok := index[columnKey(h)]
		if !ok {
			if f.required {
				missing = append(missing, fmt.Sprintf("%q (%s)", h, f.name))
			}
			continue
		}
		cols[f.name] = i
		used[i] = true
	}
	var notes, refused, ignored []string
	for i, h := range header {
		if used[i] {
			continue
		}
		switch {
		case diagnosisColumn.MatchString(h):
			refused = append(refused, h)
		default:
			ignored = append(ignored, h)
		}
	}
	if len(refused) > 0 && p.Role == "employer" {
		return nil, nil, fmt.Errorf("line 1: column %s looks like a diagnosis or cause of illness; an employer may not record that (AVG art. 9, AP beleidsregels). Remove the column from the export, or use a provider profile (role = \"provider\") which drops it", quoteList(refused))
	}
	if len(refused) > 0 {
		notes = append(notes, fmt.Sprintf("column %s (medical) dropped; never stored", quoteList(refused)))
	}
	if len(ignored) > 0 {
		notes = append(notes, fmt.Sprintf("column %s not used; never stored", quoteList(ignored)))
	}
	if len(missing) > 0 {
		hint := ""
		if len(header) == 1 {
			hint = fmt.Sprintf(" (one column only: is the delimiter %q of the profile right for this file?)", p.Delimiter)
		}
		return nil, notes, fmt.Errorf("line 1: the header lacks column %s needed by profile %s; the header has: %s%s", strings.Join(missing, ", "), p.Name, quoteList(header), hint)
	}
	return cols, notes, nil
}

// quoteList quotes column names for a message, at most 20 of 60 characters
// each: a hostile header of thousands of columns still makes a readable one.
func quoteList(items []string) string {
	const show, width = 20, 60
	var q []string
	for i, s := range items {
		if i == show {
			q = append(q, fmt.Sprintf("… (%s columns in all)", thousands(len(items))))
			break
		}
		if r := []rune(s); len(r) > width {
			s = string(r[:width]) + "…"
		}
		q = append(q, fmt.Sprintf("%q", s))
	}
	return strings.Join(q, ", ")
}

// chooseProfile picks the built-in profile whose required columns are all in
// the header, preferring the one that maps the most columns.
func chooseProfile(header []string) (*Profile, error) {
	builtins, err := BuiltinProfiles()
	if err != nil {
		return nil, err
	}
	var best *Profile
	bestScore := 0
	for _, p := range builtins {
		// Match on columns alone; the privacy check runs on the chosen profile.
		matchOnly := *p
		matchOnly.Role = "provider"
		cols, _, err := mapColumns(&matchOnly, header)
		if err != nil {
			continue
		}
		if len(cols) > bestScore {
			best, bestScore = p, len(cols)
		}
	}
	if best == nil {
		return nil, fmt.Errorf("line 1: no built-in profile fits this header (%s); name a profile with --profile, or write one (see the README)", quoteList(header))
	}
	return best, nil
}
