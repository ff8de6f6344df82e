package widgets

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/verzuim/absence/analytics"
)

// ClientOverview lists each employer a provider serves: ZVP, ZMF, GZVD and
// long cases over the 12 months up to its own extract date, the
// Poortwachter deadlines of the coming 6 weeks, and its last import and
// how old its data are. A small employer's figures are suppressed, as
// everywhere. Sorted by ?sort= (a column) and ?desc=1.
type ClientOverview struct {
	rows []ClientRow
}

// ClientRow is one employer of the overview.
type ClientRow struct {
	Client
	AgeDays    int // days from the extract date to today; -1 without data
	Suppressed bool
	ZVP        *float64
	ZMF        *float64
	GZVD       *float64
	LongCases  *int64 // cases longer than analytics.LongAbsenceDays with a sick day in the period
	Deadlines  *int64 // Poortwachter deadlines due in the 6 weeks after the extract date
}

func (w *ClientOverview) Name() string { return "clientOverview" }

func (w *ClientOverview) Load(ctx context.Context, d Deps, v View) error {
	// Open cases run to each employer's own extract date: one breakdown
	// and one count of deadlines per extract date, over the employers that
	// share it — never a query per client.
	byExtract := map[time.Time][]Client{}
	w.rows = make([]ClientRow, len(v.Clients))
	at := map[string]int{} // a row by its employer's id, as a group's key
	for i, c := range v.Clients {
		w.rows[i] = ClientRow{Client: c, AgeDays: -1, Suppressed: true}
		at[strconv.FormatInt(c.ID, 10)] = i
		if !c.Extract.IsZero() {
			byExtract[c.Extract] = append(byExtract[c.Extract], c)
			w.rows[i].AgeDays = int(time.Since(c.Extract).Hours() / 24)
		}
	}
	// All asked for at once; the query slots bound how many are computed.
	type figures struct {
		b         analytics.BreakdownResult
		deadlines map[int64]int64
	}
	got := map[time.Time]*figures{}
	g, gctx := errgroup.WithContext(ctx)
	for extract, clients := range byExtract {
		cv, f := clientView(v, extract, clients), &figures{}
		got[extract] = f
		g.Go(func() (err error) { f.b, err = EmployerBreakdown.Get(gctx, d, cv); return err })
		g.Go(func() (err error) { f.deadlines, err = ClientDeadlines.Get(gctx, d, cv); return err })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, f := range got {
		b, deadlines := f.b, f.deadlines
		for _, g := range b.Groups {
			i, ok := at[g.Key]
			if !ok || g.Suppressed {
				continue
			}
			r := &w.rows[i]
			n := deadlines[r.ID]
			r.Suppressed, r.ZVP, r.ZMF, r.GZVD, r.LongCases, r.Deadlines = false, g.ZVP, g.ZMF, g.GZVD, longCases(g.DurationClasses), &n
		}
	}
	return nil
}

// clientView is v restricted to clients, for the 12 months up to extract.
func clientView(v View, extract time.Time, clients []Client) View {
	v.Filter.Employers = nil
	var ids []string
	for _, c := range clients {
		v.Filter.Employers = append(v.Filter.Employers, c.ID)
		ids = append(ids, strconv.FormatInt(c.ID, 10))
	}
	v.Filter.ExtractDate, v.Filter.To, v.Filter.From = extract, extract, extract.AddDate(-1, 0, 1)
	v.Scope += "&clients=" + strings.Join(ids, ",")
	return v
}

func longCases(classes analytics.ClassFigures) *int64 {
	var n int64
	for _, c := range classes {
		if c.Min > analytics.LongAbsenceDays {
			if c.Cases == nil {
				return nil
			}
			n += *c.Cases
		}
	}
	return &n
}

func (w *ClientOverview) Render(d Deps, v View) Output {
	rows := slices.Clone(w.rows)
	key := v.Query.Get("sort")
	slices.SortStableFunc(rows, func(a, b ClientRow) int {
		c := compareClients(a, b, key)
		if v.Query.Get("desc") == "1" {
			c = -c
		}
		return c
	})
	return Output{Data: rows}
}

// compareClients orders two rows by a column; a suppressed figure sorts
// last.
func compareClients(a, b ClientRow, key string) int {
	num := func(f func(ClientRow) (float64, bool)) int {
		x, okA := f(a)
		y, okB := f(b)
		switch {
		case !okA || !okB:
			return boolCmp(okB, okA)
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	flt := func(p func(ClientRow) *float64) int {
		return num(func(r ClientRow) (float64, bool) {
			if p(r) == nil {
				return 0, false
			}
			return *p(r), true
		})
	}
	switch key {
	case "zvp":
		return flt(func(r ClientRow) *float64 { return r.ZVP })
	case "zmf":
		return flt(func(r ClientRow) *float64 { return r.ZMF })
	case "gzvd":
		return flt(func(r ClientRow) *float64 { return r.GZVD })
	case "long":
		return num(func(r ClientRow) (float64, bool) {
			if r.LongCases == nil {
				return 0, false
			}
			return float64(*r.LongCases), true
		})
	case "deadlines":
		return num(func(r ClientRow) (float64, bool) {
			if r.Deadlines == nil {
				return 0, false
			}
			return float64(*r.Deadlines), true
		})
	case "extract":
		return a.Extract.Compare(b.Extract)
	}
	return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
