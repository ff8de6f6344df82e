package widgets

import (
	"slices"
	"testing"

	"github.com/verzuim/absence/analytics"
)

// TestCostTileOnlyWithAWageCost: the cost of absence has a tile, in euros,
// when the total has a cost (a wage cost is configured), and none otherwise.
func TestCostTileOnlyWithAWageCost(t *testing.T) {
	v := View{Lang: "nl", T: func(k string) string { return k }}
	tiles := func(cost *float64) []Tile {
		w := &KPITiles{}
		w.cur.Total.Cost, w.prev.Total.Cost = cost, cost
		return w.Render(Deps{}, v).Data.([]Tile)
	}
	i := slices.IndexFunc(tiles(nil), func(t Tile) bool { return t.Key == "cost" })
	if i >= 0 {
		t.Errorf("a cost tile without a wage cost: %+v", tiles(nil)[i])
	}
	got := tiles(new(58345.4))
	i = slices.IndexFunc(got, func(t Tile) bool { return t.Key == "cost" })
	if i < 0 {
		t.Fatal("no cost tile with a wage cost")
	}
	if got[i].Value != "€ 58.345" || got[i].Label != "Verzuimkosten" || got[i].Definition == "" {
		t.Errorf("cost tile %+v, want Verzuimkosten € 58.345 with its definition", got[i])
	}
	if n := len(analytics.FiguresShown(analytics.OnOverview)); len(got) != n {
		t.Errorf("%d tiles with a cost, want all %d overview figures", len(got), n)
	}
}
