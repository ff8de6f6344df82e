package ingest

import (
	"sort"
)

// KindOrder: employments first (absence rows are checked against them), then
// absence, then what refers to employees or cases.
var KindOrder = map[Kind]int{KindEmployment: 0, KindAbsence: 1, KindIntervention: 2, KindMilestone: 3}

// Plan inspects each file — the one reading that Import builds on — with
// the given profile or the built-in one its header fits, and orders the
// files so that what others are checked against is imported first. Without
// a profile, a file that cannot be inspected stops the plan (its kind is
// unknown); with one, it is kept for its own import to fail, so the other
// files still import. Headers are held to the limits by the import.
func Plan(paths []string, p *Profile, lim Limits) ([]*Source, error) {
	var plan []*Source
	for _, path := range paths {
		src, err := inspect(path, p, lim.orDefault(), false)
		switch {
		case err != nil && p == nil:
			return nil, err
		case err != nil:
			src = &Source{Path: path, Profile: p, err: err}
		}
		plan = append(plan, src)
	}
	sort.SliceStable(plan, func(i, j int) bool { return KindOrder[plan[i].Profile.Kind] < KindOrder[plan[j].Profile.Kind] })
	return plan, nil
}
