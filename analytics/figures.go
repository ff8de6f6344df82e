package analytics

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The figure catalogue: every figure once, with the one name it has in every
// output (the JSON of `absence report` and /api/v1, CSV and table headers,
// tile ids, definitions), its kind and decimals, its definition in English
// and Dutch, where it is shown, and how to read it from a group of the
// statistics. The report, the downloads, the API, the overview tiles and the
// hover texts all loop over it; the tables are in figures_statistics.go
// (the statistics of a group), figures_outcomes.go and
// figures_case_ends.go (the outcome analyses).

// Figure is one figure of the catalogue.
type Figure struct {
	// Key is the figure's name everywhere: JSON field, CSV and table
	// column, tile id, definition key. A figure with an interval has it
	// under Key + "_ci95" (JSON) and Key + "_ci95_low" and "_high" (tables).
	Key      string
	Kind     Kind
	Decimals int // in tables and tiles
	Show     Show
	// EN and NL are the definition in English and Dutch. Texts may hold
	// the settings {min_employees}, {min_cases}, {frequent_threshold},
	// {frequent_window_months}, {bradford_gap_days}, {relapse_index_days}
	// {duration_classes}, {first_year_pct} and {second_year_pct}, filled in
	// by Definitions.
	EN, NL  Text
	Sources []string
	// value and interval read the figure from a group of the statistics
	// (nil: not a figure of a group).
	value    func(g Group) (float64, bool)
	interval func(g Group) *Interval
}

// Kind is what a figure measures, for formatting it.
type Kind int

// The kinds of figures.
const (
	KindNumber  Kind = iota // FTE, headcount, a rate per person
	KindPercent             // a percentage (0–100)
	KindCount               // persons or cases
	KindDays                // calendar days
	KindClasses             // the duration classes: per class the cases and their ZVP
)

// Show says where a figure appears.
type Show uint8

// Where figures appear.
const (
	// InGroup: a field of every group of the statistics, so in the JSON of
	// `absence report` and /api/v1/kpis and /api/v1/breakdown.
	InGroup Show = 1 << iota
	// InTable: a column of every table of the statistics: the report's
	// table and CSV and the breakdown download.
	InTable
	// OnOverview: a tile of the overview.
	OnOverview
	// IfSet: in tables and on the overview only when the total has a value
	// (cost, which needs a configured wage cost).
	IfSet
)

// Text is a figure's definition in one language.
type Text struct {
	Label       string // short, for tiles and column headers
	Name        string // the name (in Dutch: the Dutch term)
	Formula     string
	Numerator   string
	Denominator string
	Convention  string // counting rules and choices, with their source
	Unit        string
	Interval    string // how the 95% interval is computed, if there is one
	Summary     string // in plain words for HR, shown on hover where set
}

// Value reads the figure from a group; ok is false when it is suppressed,
// undefined or not a figure of a group.
func (f Figure) Value(g Group) (v float64, ok bool) {
	if f.value == nil {
		return 0, false
	}
	return f.value(g)
}

// Interval reads the figure's 95% interval from a group (nil: none).
func (f Figure) Interval(g Group) *Interval {
	if f.interval == nil {
		return nil
	}
	return f.interval(g)
}

// HasInterval reports whether the figure comes with a 95% interval.
func (f Figure) HasInterval() bool { return f.interval != nil }

// Catalogue lists every figure once: the statistics of a group in the order
// of the tables and tiles, then the outcome analyses.
func Catalogue() []Figure { return slices.Clone(catalogue()) }

var catalogue = sync.OnceValue(func() []Figure {
	all := slices.Concat(statisticsFigures, outcomeFigures, caseEndFigures, adjustedFigures, doseCostFigures)
	seen := map[string]bool{}
	for _, f := range all {
		if seen[f.Key] {
			panic("analytics: figure " + f.Key + " twice in the catalogue")
		}
		seen[f.Key] = true
	}
	return all
})

// FigureOf returns the figure with the given key.
func FigureOf(key string) (Figure, bool) {
	i := slices.IndexFunc(catalogue(), func(f Figure) bool { return f.Key == key })
	if i < 0 {
		return Figure{}, false
	}
	return catalogue()[i], true
}

// FiguresShown are the figures with all the given flags, in catalogue order.
func FiguresShown(s Show) []Figure {
	var out []Figure
	for _, f := range catalogue() {
		if f.Show&s == s {
			out = append(out, f)
		}
	}
	return out
}

// Column is one column of a table of the statistics.
type Column struct {
	Name     string
	Decimals int
	Value    func(g Group) (float64, bool)
}

// Columns are the columns of a table of the statistics whose total is
// total: each figure shown InTable, followed by its interval, and per
// duration class its cases and ZVP. A figure shown IfSet is left out when
// the total has no value for it.
func Columns(total Group) []Column {
	var out []Column
	for _, f := range FiguresShown(InTable) {
		if _, ok := f.Value(total); f.Show&IfSet != 0 && !ok {
			continue
		}
		if f.Kind == KindClasses {
			for i, c := range total.DurationClasses {
				out = append(out,
					Column{"cases_" + c.Label, 0, func(g Group) (float64, bool) { return i64(g.DurationClasses[i].Cases) }},
					Column{"zvp_pct_" + c.Label, 2, func(g Group) (float64, bool) { return f64(g.DurationClasses[i].ZVP) }})
			}
			continue
		}
		out = append(out, Column{f.Key, f.Decimals, f.Value})
		if f.HasInterval() {
			out = append(out,
				Column{f.Key + "_ci95_low", f.Decimals, func(g Group) (float64, bool) { return lowOf(f.Interval(g)) }},
				Column{f.Key + "_ci95_high", f.Decimals, func(g Group) (float64, bool) { return highOf(f.Interval(g)) }})
		}
	}
	return out
}

func f64(p *float64) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return *p, true
}

func i64(p *int64) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return float64(*p), true
}

func lowOf(iv *Interval) (float64, bool) {
	if iv == nil {
		return 0, false
	}
	return iv.Low, true
}

func highOf(iv *Interval) (float64, bool) {
	if iv == nil {
		return 0, false
	}
	return iv.High, true
}

// Definition explains one figure, with the settings of the Options it was
// made for filled in. Key is the figure's JSON name; the other fields are
// the English definition, Dutch the Dutch term and DutchText the plain Dutch
// summary where there is one. In returns it in either language.
type Definition struct {
	Key         string
	Name        string // English name
	Dutch       string // the Dutch term
	Formula     string
	Numerator   string
	Denominator string
	Convention  string // counting rules and choices, with their source
	Unit        string
	Interval    string // how the 95% interval is computed, if there is one
	Sources     []string
	DutchText   string // what the figure counts, in plain Dutch for HR (shown on hover)
	en, nl      Text
}

// In returns the definition in Dutch ("nl") or English (any other).
func (d Definition) In(lang string) Text {
	if lang == "nl" {
		return d.nl
	}
	return d.en
}

// definition fills the settings of opt into a figure's texts.
func (f Figure) definition(opt Options) Definition {
	var classes []string
	for _, c := range opt.DurationClasses {
		classes = append(classes, c.Label)
	}
	r := strings.NewReplacer(
		"{min_employees}", fmt.Sprint(opt.MinEmployees), "{min_cases}", fmt.Sprint(opt.MinCases),
		"{frequent_threshold}", fmt.Sprint(opt.FrequentThreshold), "{frequent_window_months}", fmt.Sprint(opt.FrequentWindowMonths),
		"{bradford_gap_days}", fmt.Sprint(opt.BradfordGapDays), "{relapse_index_days}", fmt.Sprint(opt.RelapseIndexDays),
		"{duration_classes}", strings.Join(classes, ", "),
		"{first_year_pct}", fmt.Sprint(opt.Cost.FirstYearPct), "{second_year_pct}", fmt.Sprint(opt.Cost.SecondYearPct))
	fill := func(t Text) Text {
		for _, s := range []*string{&t.Label, &t.Name, &t.Formula, &t.Numerator, &t.Denominator, &t.Convention, &t.Unit, &t.Interval, &t.Summary} {
			*s = r.Replace(*s)
		}
		return t
	}
	en, nl := fill(f.EN), fill(f.NL)
	return Definition{Key: f.Key, Name: en.Name, Dutch: nl.Name, Formula: en.Formula, Numerator: en.Numerator,
		Denominator: en.Denominator, Convention: en.Convention, Unit: en.Unit, Interval: en.Interval,
		Sources: f.Sources, DutchText: nl.Summary, en: en, nl: nl}
}

func definitionsOf(figs []Figure, opt Options) []Definition {
	opt, err := opt.withDefaults()
	if err != nil {
		opt, _ = Options{}.withDefaults()
	}
	out := make([]Definition, len(figs))
	for i, f := range figs {
		out[i] = f.definition(opt)
	}
	return out
}

// Definitions lists the definition of every figure of the statistics, with
// the settings of opt (duration-class bounds, thresholds) filled in.
func Definitions(opt Options) []Definition { return definitionsOf(statisticsFigures, opt) }

// DefinitionOf returns the definition of the figure with the given key,
// with default settings.
func DefinitionOf(key string) (Definition, bool) {
	f, ok := FigureOf(key)
	if !ok {
		return Definition{}, false
	}
	return definitionsOf([]Figure{f}, Options{})[0], true
}

// OutcomeDefinitions lists the definitions of the outcome analyses:
// survival (Kaplan–Meier), how cases end, progression, Poortwachter tracks,
// interventions, relapse, the landmark comparisons and frequent absence
// followed by long absence, with the thresholds of opt filled in. Every
// result of those functions carries the ones it uses.
func OutcomeDefinitions(opt Options) []Definition {
	return definitionsOf(slices.Concat(outcomeFigures, caseEndFigures, adjustedFigures, doseCostFigures), opt)
}

// outcomeDefinitions picks the definitions with the given keys, in order.
func outcomeDefinitions(opt Options, keys ...string) DefinitionList {
	var figs []Figure
	for _, k := range keys {
		if f, ok := FigureOf(k); ok {
			figs = append(figs, f)
		}
	}
	return definitionsOf(figs, opt)
}

// DefinitionList is a list of definitions; in JSON each one is an object
// with snake_case keys (key, name, dutch, dutch_text, formula, numerator,
// denominator, convention, unit, interval, sources), empty fields left out.
type DefinitionList []Definition

// MarshalJSON writes the definitions with snake_case keys.
func (ds DefinitionList) MarshalJSON() ([]byte, error) {
	out := make([]definitionDoc, len(ds))
	for i, d := range ds {
		out[i] = definitionDoc{Key: d.Key, Name: d.Name, Dutch: d.Dutch, DutchText: d.DutchText, Formula: d.Formula, Numerator: d.Numerator,
			Denominator: d.Denominator, Convention: d.Convention, Unit: d.Unit, Interval: d.Interval, Sources: d.Sources}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes, as a client of the API does.
func (ds *DefinitionList) UnmarshalJSON(b []byte) error {
	var docs []definitionDoc
	if err := json.Unmarshal(b, &docs); err != nil {
		return err
	}
	*ds = make(DefinitionList, len(docs))
	for i, d := range docs {
		(*ds)[i] = Definition{Key: d.Key, Name: d.Name, Dutch: d.Dutch, DutchText: d.DutchText, Formula: d.Formula, Numerator: d.Numerator,
			Denominator: d.Denominator, Convention: d.Convention, Unit: d.Unit, Interval: d.Interval, Sources: d.Sources}
	}
	return nil
}

type definitionDoc struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Dutch       string   `json:"dutch,omitempty"`
	DutchText   string   `json:"dutch_text,omitempty"`
	Formula     string   `json:"formula,omitempty"`
	Numerator   string   `json:"numerator,omitempty"`
	Denominator string   `json:"denominator,omitempty"`
	Convention  string   `json:"convention,omitempty"`
	Unit        string   `json:"unit,omitempty"`
	Interval    string   `json:"interval,omitempty"`
	Sources     []string `json:"sources,omitempty"`
}
