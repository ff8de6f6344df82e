package analytics

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// nilSlices lists the paths of the nil slices in v that JSON would write as
// null (byte slices and omitempty fields aside).
func nilSlices(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		if v.IsNil() {
			return []string{path}
		}
		var out []string
		for i := range v.Len() {
			out = append(out, nilSlices(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return nilSlices(v.Elem(), path)
	case reflect.Map:
		var out []string
		for it := v.MapRange(); it.Next(); {
			out = append(out, nilSlices(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()))...)
		}
		return out
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" || strings.Contains(f.Tag.Get("json"), "omitempty") {
				continue
			}
			out = append(out, nilSlices(v.Field(i), path+"."+f.Name)...)
		}
		return out
	}
	return nil
}

// Finding 10: every list in every result is [] in JSON, never null, also
// where there is nothing to list: here a year without any absence.
func TestEveryResultListIsEmptyNotNull(t *testing.T) {
	s := survivalStore(t, "2024-12-31", "landmark_employments.csv", "landmark_absence.csv", "landmark_interventions.csv")
	ctx := t.Context()
	f := Filter{From: date("2019-01-01"), To: date("2019-12-31")}
	var results []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, v)
	}
	add(KPIs(ctx, s, f, Options{}))
	add(Breakdown(ctx, s, f, ByDepartment, Options{}))
	add(Series(ctx, s, f, Monthly, Options{}))
	add(Survival(ctx, s, f, ByDepartment, Options{}))
	add(Progression(ctx, s, f, ProgressionOptions{}, Options{}))
	add(Tracks(ctx, s, f, TrackOptions{}, Options{}))
	add(FrequentAbsentees(ctx, s, f, Options{}))
	add(Interventions(ctx, s, f, Options{}))
	add(Landmark(ctx, s, f, LandmarkOptions{}, Options{}))
	nulls := 0
	for _, r := range results {
		nulls += len(nilSlices(reflect.ValueOf(r), ""))
		before, _ := json.Marshal(r)
		fixed := EmptyLists(r)
		if paths := nilSlices(reflect.ValueOf(fixed), fmt.Sprintf("%T", r)); len(paths) > 0 {
			t.Errorf("null lists: %v", paths)
		}
		if after, _ := json.Marshal(r); string(after) != string(before) {
			t.Errorf("%T changed in place", r)
		}
		if reflect.TypeOf(fixed) != reflect.TypeOf(r) {
			t.Errorf("%T became %T", r, fixed)
		}
	}
	if nulls == 0 {
		t.Error("no result had a null list: the test proves nothing")
	}
	list, _ := FrequentAbsentees(ctx, s, f, Options{})
	if b, _ := json.Marshal(EmptyLists(list)); !strings.Contains(string(b), `"Employees":[]`) {
		t.Errorf("absentees: %s", b)
	}
}
