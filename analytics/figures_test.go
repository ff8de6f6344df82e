package analytics

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// groupJSONNames are the figure names in the JSON of a group: the json tags
// of Figures.
func groupJSONNames() []string {
	var out []string
	typ := reflect.TypeFor[Figures]()
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		out = append(out, key)
	}
	return out
}

// TestCatalogueNamesTheGroupJSON: the figures of a group in the catalogue
// are exactly the JSON fields of a group (with "_ci95" for an interval), so
// a figure cannot reach the report or the API without its definition.
func TestCatalogueNamesTheGroupJSON(t *testing.T) {
	var want []string
	for _, f := range FiguresShown(InGroup) {
		want = append(want, f.Key)
		if f.HasInterval() {
			want = append(want, f.Key+"_ci95")
		}
	}
	got := groupJSONNames()
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("JSON fields of a group %v\ncatalogue %v", got, want)
	}
}

// TestFiguresReadTheirOwnField: every figure reads the JSON field of its
// own name from a group. Each field gets a different value, so a reader of
// the wrong field shows.
func TestFiguresReadTheirOwnField(t *testing.T) {
	var g Group
	v := reflect.ValueOf(&g.Figures).Elem()
	n := 1.0
	for i := range v.NumField() {
		switch f := v.Field(i); f.Interface().(type) {
		case *float64:
			f.Set(reflect.ValueOf(ptr(n + 0.25)))
		case *int64:
			f.Set(reflect.ValueOf(ptr(int64(n))))
		case *Interval:
			f.Set(reflect.ValueOf(&Interval{Low: n + 0.5, High: n + 0.75}))
		case ClassFigures:
			f.Set(reflect.ValueOf(ClassFigures{{Label: "1-7", Min: 1, Cases: ptr[int64](7), ZVP: ptr(1.5)}, {Label: "43+", Min: 43, Cases: ptr[int64](3), ZVP: ptr(2.5)}}))
		}
		n++
	}
	raw, err := json.Marshal(g.Figures)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	json.Unmarshal(raw, &fields)
	for _, f := range FiguresShown(InGroup) {
		if f.Kind == KindClasses {
			continue
		}
		got, ok := f.Value(g)
		if !ok || got != fields[f.Key] {
			t.Errorf("%s reads %v (%v), its JSON field holds %v", f.Key, got, ok, fields[f.Key])
		}
		if f.HasInterval() {
			iv, want := f.Interval(g), fields[f.Key+"_ci95"].(map[string]any)
			if iv == nil || iv.Low != want["low"] || iv.High != want["high"] {
				t.Errorf("%s interval %v, its JSON field %v", f.Key, iv, want)
			}
		}
	}
	var names []string
	for _, c := range Columns(g) {
		names = append(names, c.Name)
	}
	if want := []string{"cases_1-7", "zvp_pct_1-7", "cases_43+", "zvp_pct_43+"}; !slices.Equal(names[len(names)-4:], want) {
		t.Errorf("class columns %v, want %v", names[len(names)-4:], want)
	}
	if long, _ := FigureOf("long_cases"); long.Key == "" {
		t.Error("no long_cases")
	} else if v, ok := long.Value(g); !ok || v != 3 {
		t.Errorf("long cases %v %v, want 3 (the classes from 43 days on)", v, ok)
	}
}

// TestColumnsFollowTheJSONNames: every column of a table of the statistics
// is a JSON field of a group, its interval's low or high end, or a duration
// class's cases or ZVP; cost only with a day price.
func TestColumnsFollowTheJSONNames(t *testing.T) {
	json := groupJSONNames()
	g := Group{Figures: Figures{DurationClasses: ClassFigures{{Label: "1-7"}, {Label: "8+"}}}}
	for _, c := range Columns(g) {
		name := c.Name
		for _, suffix := range []string{"_ci95_low", "_ci95_high"} {
			if base, ok := strings.CutSuffix(name, suffix); ok {
				name = base + "_ci95"
			}
		}
		if strings.HasPrefix(name, "cases_") || strings.HasPrefix(name, "zvp_pct_1") || strings.HasPrefix(name, "zvp_pct_8") {
			name = "duration_classes"
		}
		if !slices.Contains(json, name) {
			t.Errorf("column %s is not a JSON name", c.Name)
		}
		if c.Name == "cost" {
			t.Error("a cost column without a cost")
		}
	}
	g.Cost = ptr(1.0)
	if !slices.ContainsFunc(Columns(g), func(c Column) bool { return c.Name == "cost" }) {
		t.Error("no cost column with a cost")
	}
}

// TestEveryFigureIsDefinedInBothLanguages: every figure of the catalogue has
// a label, name and formula in English and Dutch, every setting filled in,
// and the Dutch text is Dutch, not a copy.
func TestEveryFigureIsDefinedInBothLanguages(t *testing.T) {
	opt := Options{MinEmployees: 12, MinCases: 7, DurationClasses: VernetDurationClasses, FrequentThreshold: 4, FrequentWindowMonths: 6, BradfordGapDays: 2, RelapseIndexDays: 30}
	for _, d := range append(Definitions(opt), OutcomeDefinitions(opt)...) {
		for _, lang := range []string{"en", "nl"} {
			tx := d.In(lang)
			if tx.Label == "" || tx.Name == "" || tx.Formula == "" {
				t.Errorf("%s (%s): no label, name or formula: %+v", d.Key, lang, tx)
			}
			for _, s := range []string{tx.Label, tx.Name, tx.Formula, tx.Numerator, tx.Denominator, tx.Convention, tx.Unit, tx.Interval, tx.Summary} {
				if strings.Contains(s, "{") {
					t.Errorf("%s (%s): a setting not filled in: %s", d.Key, lang, s)
				}
			}
		}
		if en, nl := d.In("en"), d.In("nl"); en.Formula == nl.Formula || (en.Convention != "" && en.Convention == nl.Convention) {
			t.Errorf("%s: the Dutch text is the English one", d.Key)
		}
		if d.Dutch != d.In("nl").Name || d.DutchText != d.In("nl").Summary || d.Formula != d.In("en").Formula {
			t.Errorf("%s: fields and texts disagree", d.Key)
		}
	}
	for key, want := range map[string]string{"gzvd_days": "at least 7 closed", "frequent_absentees": "≥ 4 new sickness cases in the 6 months",
		"bradford": "at most 2 days", "suppressed": "fewer than 12 employees", "duration_classes": "1-14, 15-91, 92-365, 366-730"} {
		for _, d := range Definitions(opt) {
			if d.Key == key && !strings.Contains(d.Formula+d.Convention, want) {
				t.Errorf("%s does not say %q: %s %s", key, want, d.Formula, d.Convention)
			}
		}
	}
	for _, d := range OutcomeDefinitions(opt) {
		if d.Key == "relapse" && !strings.Contains(d.Denominator, "at least 30 days") {
			t.Errorf("relapse: %s", d.Denominator)
		}
	}
}

// TestCatalogueKeysAreUnique: one place per figure.
func TestCatalogueKeysAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Catalogue() {
		if seen[f.Key] {
			t.Errorf("%s twice", f.Key)
		}
		seen[f.Key] = true
	}
	for _, k := range []string{"zvp_pct", "sick_days_per_fte", "survival", "case_outcomes", "relapse", "frequent_to_long", "landmark"} {
		if !seen[k] {
			t.Errorf("no %s", k)
		}
	}
}
