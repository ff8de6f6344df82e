package datasets

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rtCase is a case as an importer reconstructs it, with ISO dates.
type rtCase struct {
	ID, First, Recovery, Type, Reason string
	Segments                          []rtSegment
}

type rtSegment struct {
	From string
	Pct  float64
}

func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func casesOf(es []*Employee) []rtCase {
	var out []rtCase
	for _, e := range es {
		for _, c := range e.Cases {
			rc := rtCase{ID: e.ID, First: iso(c.FirstSickDay), Recovery: iso(c.RecoveryDate), Type: c.Type, Reason: c.EndReason}
			for _, s := range c.Segments {
				rc.Segments = append(rc.Segments, rtSegment{iso(s.From), s.AbsencePct})
			}
			out = append(out, rc)
		}
	}
	return out
}

// parser reads dates, numbers and labels the way the file's profile says.
type parser struct {
	t       *testing.T
	dmy     bool
	comma   bool
	values  map[string]map[string]string // profile [values]; nil = canonical already
	present bool                         // percentages are the share present
}

func (p parser) date(s string) string {
	if s == "" {
		return ""
	}
	layout := time.DateOnly
	if p.dmy {
		layout = "02-01-2006"
	}
	d, err := time.Parse(layout, s)
	if err != nil {
		p.t.Fatalf("date %q: %v", s, err)
	}
	return iso(d)
}

func (p parser) pct(s string) float64 {
	if p.comma {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		p.t.Fatalf("percentage %q: %v", s, err)
	}
	if p.present {
		v = 100 - v
	}
	return v
}

func (p parser) value(field, s string) string {
	m, mapped := p.values[field]
	if !mapped || s == "" {
		return s
	}
	v, ok := m[s]
	if !ok {
		p.t.Fatalf("%s label %q not in the profile", field, s)
	}
	return v
}

func addDays(isoDate string, n int) string {
	d, _ := time.Parse(time.DateOnly, isoDate)
	return iso(d.AddDate(0, 0, n))
}

// parsePeriods rebuilds cases from a period file (one row per segment,
// end date = last sick day, grouped by case reference).
func (p parser) parsePeriods(recs [][]string) []rtCase {
	var out []rtCase
	var lastEnd, lastRef string
	for _, r := range recs[1:] {
		id, ref, from, end, pct, typ, reason := r[0], r[1], p.date(r[2]), p.date(r[3]), p.pct(r[4]), p.value("absence_type", r[5]), p.value("end_reason", r[6])
		if ref != lastRef {
			out = append(out, rtCase{ID: id, First: from, Type: typ})
		} else if addDays(lastEnd, 1) != from {
			p.t.Fatalf("case %s: period from %s does not follow the one ending %s", ref, from, lastEnd)
		}
		c := &out[len(out)-1]
		c.Segments = append(c.Segments, rtSegment{from, pct})
		if end != "" && reason != "" {
			c.Recovery, c.Reason = addDays(end, 1), reason
		}
		lastEnd, lastRef = end, ref
	}
	return out
}

// parseEvents rebuilds cases from verloopregels grouped by employee and first sick day.
func (p parser) parseEvents(recs [][]string) []rtCase {
	var out []rtCase
	for _, r := range recs[1:] {
		id, first, date, ev, typ := r[0], p.date(r[1]), p.date(r[2]), p.value("event", r[3]), p.value("absence_type", r[5])
		switch ev {
		case "sick":
			if date != first {
				p.t.Fatalf("%s: sick report on %s for first sick day %s", id, date, first)
			}
			out = append(out, rtCase{ID: id, First: first, Type: typ, Segments: []rtSegment{{date, p.pct(r[4])}}})
		case "partial", "recovered":
			c := &out[len(out)-1]
			if c.ID != id || c.First != first {
				p.t.Fatalf("%s %s: %s row without its sick report", id, first, ev)
			}
			if ev == "partial" {
				c.Segments = append(c.Segments, rtSegment{date, p.pct(r[4])})
			} else {
				if r[4] != "" {
					p.t.Fatalf("%s %s: recovery row with percentage %q", id, first, r[4])
				}
				c.Recovery, c.Reason = date, p.value("end_reason", r[6])
			}
		default:
			p.t.Fatalf("event %q", ev)
		}
	}
	return out
}

// TestRoundTrip: the native, AFAS and Visma absence files each give back the
// generated cases exactly.
func TestRoundTrip(t *testing.T) {
	cfg := Config{Employees: 3000, Seed: 5}
	want := casesOf(collect(t, cfg))
	dir, _ := exportAll(t, cfg)
	afas, visma := loadProfile(t, "afas-verloop"), loadProfile(t, "visma-perioden")
	events := map[string]string{"sick": "sick", "partial": "partial", "recovered": "recovered"}
	tests := []struct {
		lay   *layout
		parse func(parser, [][]string) []rtCase
		p     parser
	}{
		{layNativePeriods, parser.parsePeriods, parser{t: t}},
		{layNativeEvents, parser.parseEvents, parser{t: t, values: map[string]map[string]string{"event": events}}},
		{layVismaAbsence, parser.parsePeriods, parser{t: t, values: visma.Values}},
		{layAFASAbsence, parser.parseEvents, parser{t: t, dmy: true, comma: true, present: true, values: afas.Values}},
	}
	for _, tt := range tests {
		t.Run(tt.lay.file, func(t *testing.T) {
			tt.p.t = t
			got := tt.parse(tt.p, readRecords(t, dir, tt.lay))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cases from %s differ (-generated +parsed):\n%s", tt.lay.file, diff)
			}
		})
	}
	var partial, open int
	for _, c := range want {
		if len(c.Segments) > 1 {
			partial++
		}
		if c.Recovery == "" {
			open++
		}
	}
	if partial == 0 || open == 0 {
		t.Errorf("%d partial and %d open cases: the round trip must cover both", partial, open)
	}
}

// TestEmploymentRoundTrip: the three employment files carry the same periods.
func TestEmploymentRoundTrip(t *testing.T) {
	cfg := Config{Employees: 1000, Seed: 6}
	es := collect(t, cfg)
	dir, _ := exportAll(t, cfg)
	var want [][]string
	for _, e := range es {
		for _, em := range e.Employments {
			want = append(want, []string{e.ID, iso(em.Start), iso(em.End), em.Department, em.Team, em.Location,
				strconv.FormatFloat(em.ContractHours, 'f', -1, 64), strconv.Itoa(e.BirthDate.Year())})
		}
	}
	native := readRecords(t, dir, layNativeEmployments)[1:]
	afasRecs := readRecords(t, dir, layAFASEmployments)[1:]
	vismaRecs := readRecords(t, dir, layVismaEmployments)[1:]
	p := parser{t: t, dmy: true}
	for name, rows := range map[string][][]string{"native": native, "afas": afasRecs, "visma": vismaRecs} {
		var got [][]string
		for _, r := range rows {
			switch name {
			case "native":
				got = append(got, []string{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[8]})
			case "afas":
				got = append(got, []string{r[0], p.date(r[3]), p.date(r[4]), r[5], r[6], r[7], strings.Replace(r[8], ",", ".", 1), p.date(r[10])[:4]})
			case "visma":
				got = append(got, []string{r[0], r[4], r[5], r[1], r[2], r[3], r[6], r[8]})
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s employments differ (-generated +parsed):\n%s", name, diff)
		}
	}
}
