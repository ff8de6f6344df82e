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

// TestCostTileChangeInEuros: the cost tile's change against the previous
// period is written as an amount of euros, like its value, not as a bare
// number with two decimals ("+314656,50").
func TestCostTileChangeInEuros(t *testing.T) {
	for _, c := range []struct {
		lang      string
		cur, prev float64
		want      string
	}{
		{"nl", 4174225.4, 3859568.9, "+€ 314.657"},
		{"en", 4174225.4, 3859568.9, "+€314,657"},
		{"nl", 1000, 1250.6, "−€ 251"},
	} {
		w := &KPITiles{}
		w.cur.Total.Cost, w.prev.Total.Cost = new(c.cur), new(c.prev)
		tiles := w.Render(Deps{}, View{Lang: c.lang, T: func(k string) string { return k }}).Data.([]Tile)
		i := slices.IndexFunc(tiles, func(t Tile) bool { return t.Key == "cost" })
		if i < 0 {
			t.Fatal("no cost tile")
		}
		if tiles[i].Change != c.want {
			t.Errorf("%s: change %q, want %q", c.lang, tiles[i].Change, c.want)
		}
	}
}
