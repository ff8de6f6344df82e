package widgets

import (
	"context"
	"strconv"

	"github.com/verzuim/absence/analytics"
)

// ClientInterventions are the intervention figures per type, over every
// client and per client: for provider staff only their own organisation's
// interventions (the filter's Providers), three years by default.
type ClientInterventions struct {
	res ClientInterventionRows
}

// ClientInterventionRows are the types over all clients, then per client.
type ClientInterventionRows struct {
	All     []InterventionTypeRow
	Clients []ClientInterventionRow
}

// ClientInterventionRow is one client's figures per type.
type ClientInterventionRow struct {
	Client
	Types []InterventionTypeRow
}

// InterventionTypeRow is one intervention type: its number and the share
// back at the own employer 6 months after the start; empty figures when
// suppressed.
type InterventionTypeRow struct {
	Type          string
	Suppressed    bool
	Interventions *int64
	Back          *float64
}

func (w *ClientInterventions) Name() string { return "clientInterventions" }

func (w *ClientInterventions) Load(ctx context.Context, d Deps, v View) error {
	v = v.ThreeYears()
	w.res = ClientInterventionRows{}
	all, err := Interventions.Get(ctx, d, v)
	if err != nil {
		return err
	}
	w.res.All = typeRows(all.Groups)
	for _, c := range v.Clients {
		cv := v
		cv.Filter.Employers = []int64{c.ID}
		cv.Scope += "&client=" + strconv.FormatInt(c.ID, 10)
		res, err := Interventions.Get(ctx, d, cv)
		if err != nil {
			return err
		}
		w.res.Clients = append(w.res.Clients, ClientInterventionRow{Client: c, Types: typeRows(res.Groups)})
	}
	return nil
}

// typeRows are the groups of each type over all its providers (a provider
// sees only its own, so these are its figures).
func typeRows(groups []analytics.InterventionGroup) []InterventionTypeRow {
	var out []InterventionTypeRow
	for _, g := range groups {
		if g.Provider != "" {
			continue
		}
		row := InterventionTypeRow{Type: g.Type, Suppressed: g.Suppressed, Interventions: g.Interventions}
		for _, r := range g.ReturnToWork {
			if r.Days == analytics.ReturnToWorkDays[1] { // about 6 months
				row.Back = r.Pct
			}
		}
		out = append(out, row)
	}
	return out
}

func (w *ClientInterventions) Render(Deps, View) Output { return Output{Data: w.res} }
