package ingest

import (
	"fmt"
	"sort"
)

// PlannedFile is an input file with the profile it will be read with.
type PlannedFile struct {
	Path    string
	Profile *Profile
}

// kindOrder: employments first (absence rows are checked against them), then
// absence, then what refers to employees or cases.
var kindOrder = map[Kind]int{KindEmployment: 0, KindAbsence: 1, KindIntervention: 2, KindMilestone: 3}

// Plan picks each file's profile (the given one, or by header) and orders
// the files so that what others are checked against is imported first.
func Plan(paths []string, p *Profile) ([]PlannedFile, error) {
	var plan []PlannedFile
	for _, path := range paths {
		chosen := p
		if chosen == nil {
			src, err := inspectSource(path, &Profile{Encoding: "auto", Delimiter: "auto"}, Limits{})
			if err != nil {
				return nil, err
			}
			if chosen, err = chooseProfile(src.Header); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
		plan = append(plan, PlannedFile{Path: path, Profile: chosen})
	}
	sort.SliceStable(plan, func(i, j int) bool { return kindOrder[plan[i].Profile.Kind] < kindOrder[plan[j].Profile.Kind] })
	return plan, nil
}
