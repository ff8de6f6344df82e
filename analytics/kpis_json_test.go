package analytics

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// What the API writes, a client reads back as it was: the duration classes
// in order with their shortest case, days, definitions.
func TestResultsReadBackFromJSON(t *testing.T) {
	n, z := int64(4), 1.25
	classes := ClassFigures{{Label: "1-7", Min: 1, Cases: &n, ZVP: &z}, {Label: "43-365", Min: 43}, {Label: "366+", Min: 366, Cases: &n}}
	cov := Coverage{From: Date{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, ExtractDate: Date{time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}}
	defs := DefinitionList{{Key: "zvp_pct", Name: "absence rate", Dutch: "verzuimpercentage", Sources: []string{"CBS"}}}
	for _, v := range []any{&classes, &cov, &defs} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(v).Elem())
		if err := json.Unmarshal(data, back.Interface()); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if !reflect.DeepEqual(back.Interface(), v) {
			t.Errorf("%s read back as %+v, want %+v", data, back.Elem().Interface(), reflect.ValueOf(v).Elem().Interface())
		}
	}
}
