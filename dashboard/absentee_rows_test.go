package dashboard

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard/widgets"
)

// absenteesPage is the frequent-absence page as its template gets it, with
// a list of n frequent absentees.
func absenteesPage(lang string, n int) page {
	list := analytics.AbsenteeList{Threshold: 3, Window: analytics.Period{From: testExtract.AddDate(-1, 0, 1), To: testExtract}}
	for i := range n {
		spells, days := int64(2+i%5), int64(i%300)
		list.Employees = append(list.Employees, analytics.Absentee{EmployeeID: fmt.Sprintf("%020x", i*7919), NewCases: int64(3 + i%4),
			Spells: spells, SickDays: days, Bradford: float64(spells * spells * days), Frequent: true})
	}
	return page{Name: "absentees", Lang: lang, Path: "/absentees", View: view{From: testExtract.AddDate(-1, 0, 1), To: testExtract},
		Widgets: map[string]shownWidget{"absentees": {Output: widgets.Output{Data: list}},
			"frequentToLong": {Output: widgets.Output{Data: &analytics.FrequentToLongResult{At: analytics.Date{Time: testExtract.AddDate(-2, 0, 0)}}}}}}
}

// At 1,000,000 employees the page lists some 68,000 frequent absentees;
// written by html/template, at 38 allocations a row, the list took 0.9 s,
// about half as long as computing the page's figures. A row now costs one
// allocation, its Bradford factor written in the page's language.
func TestAbsenteesPageWritesItsListCheaply(t *testing.T) {
	pages, err := parsedPages()
	if err != nil {
		t.Fatal(err)
	}
	const rows = 5000
	tmpl := pages["nl/absentees"]
	allocs := func(n int) float64 {
		p := absenteesPage("nl", n)
		return testing.AllocsPerRun(3, func() {
			if err := tmpl.Execute(io.Discard, p); err != nil {
				t.Fatal(err)
			}
		})
	}
	empty, full := allocs(0), allocs(rows)
	if perRow := (full - empty) / rows; perRow >= 2 {
		t.Errorf("%.1f allocations a row of the list (%.0f for the page without rows, %.0f with %d), want less than 2", perRow, empty, full, rows)
	}
}

// The rows are the bytes the template wrote before AbsenteeRows (its
// range, below), whatever the pseudonym holds and in either language.
func TestAbsenteeRowsAsTheTemplateWroteThem(t *testing.T) {
	const before = `<tbody>
{{range .Employees}}<tr><td><code>{{.EmployeeID}}</code></td><td>{{.NewCases}}</td><td>{{.Spells}}</td><td>{{.SickDays}}</td><td>{{num (ptr .Bradford) 0}}</td></tr>{{end}}
</tbody>`
	hostile := []string{`<script>alert(1)</script>`, `a+b=c&d`, `"quoted" 'single'`, "nul\x00byte", "bad\xffutf8", "Zoë Ärzt €", ""}
	var odd []analytics.Absentee
	for i, id := range hostile {
		odd = append(odd, analytics.Absentee{EmployeeID: id, NewCases: int64(i), Spells: -int64(i), SickDays: math.MaxInt64 - int64(i), Bradford: float64(i) * 1.5})
	}
	odd = append(odd, analytics.Absentee{EmployeeID: "big", Bradford: 1e21}, analytics.Absentee{EmployeeID: "inf", Bradford: math.Inf(1)},
		analytics.Absentee{EmployeeID: "nan", Bradford: math.NaN()}, analytics.Absentee{EmployeeID: "negative zero", Bradford: -0.4})
	lists := map[string]analytics.AbsenteeList{
		"none":     {},
		"frequent": absenteesPage("nl", 300).Widgets["absentees"].Data.(analytics.AbsenteeList),
		"hostile":  {Employees: odd},
	}
	for _, lang := range []string{"nl", "en"} {
		ref := template.Must(template.New("rows").Funcs(templateFuncs).Funcs(numberFuncs(lang)).Parse(before))
		now := template.Must(template.New("rows").Parse("<tbody>\n{{.AbsenteeRows .List}}\n</tbody>"))
		for name, list := range lists {
			t.Run(lang+"/"+name, func(t *testing.T) {
				var want, got strings.Builder
				if err := ref.Execute(&want, list); err != nil {
					t.Fatal(err)
				}
				if err := now.Execute(&got, struct {
					page
					List analytics.AbsenteeList
				}{page{Lang: lang}, list}); err != nil {
					t.Fatal(err)
				}
				if g, w := got.String(), want.String(); g != w {
					i := 0
					for i < min(len(g), len(w)) && g[i] == w[i] {
						i++
					}
					t.Errorf("rows differ from the template's at byte %d:\n got …%.120q\nwant …%.120q", i, g[max(i-40, 0):], w[max(i-40, 0):])
				}
			})
		}
	}
}

// BenchmarkAbsenteesPage writes the page with the list of 1,000,000
// employees' size (67,982 frequent absentees in the generated organisation).
func BenchmarkAbsenteesPage(b *testing.B) {
	pages, err := parsedPages()
	if err != nil {
		b.Fatal(err)
	}
	tmpl, p := pages["nl/absentees"], absenteesPage("nl", 67_982)
	for b.Loop() {
		if err := tmpl.Execute(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
