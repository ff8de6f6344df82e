package reports

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics"
)

// What the command line sends, the server reads back as it was; a value it
// cannot use is refused with the parameter's name.
func TestQueryReadsBack(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, r := range []Request{
		{Kind: "statistics", From: day("2025-01-01"), To: day("2025-12-31"), ExtractDate: day("2026-01-15"), By: analytics.ByTeam, Vernet: true, CostPerFTEDay: 312.5},
		{Kind: "survival", By: analytics.ByDepartment, Robust: true},
		{Kind: "outcomes", From: day("2023-01-01"), AllTimes: true},
		{Kind: "progression", Cohort: "quarter", Weeks: 8},
		{Kind: "interventions", Landmarks: []int{42, 91}, RelapseIndexDays: 30},
		{Kind: "frequent-to-long", At: day("2024-01-01")},
	} {
		got, err := ParseQuery(r.Kind, r.Query())
		if err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("%s: %+v, %v; want %+v", r.Query().Encode(), got, err, r)
		}
	}
	for query, want := range map[string]string{
		"from=2025-13-01&to=2025-12-31":           `from "2025-13-01": expected YYYY-MM-DD`,
		"to=2025-12-31":                           "from and to are required",
		"from=2025-01-01&to=2025-12-31&by=shoe":   "by:",
		"from=2025-01-01&to=2025-12-31&classes=x": `classes "x"`,
	} {
		v, _ := url.ParseQuery(query)
		if _, err := ParseQuery("statistics", v); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", query, err, want)
		}
	}
	for kind, query := range map[string]string{"progression": "cohort=week", "tracks": "weeks=-1", "interventions": "landmark=42,x", "churn": ""} {
		v, _ := url.ParseQuery(query)
		if _, err := ParseQuery(kind, v); err == nil {
			t.Errorf("%s %s was accepted", kind, query)
		}
	}
}
