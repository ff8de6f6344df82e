package dashboard

import (
	"fmt"
	"time"

	"github.com/verzuim/absence/dashboard/widgets"
)

// freshness is how fresh the figures a page shows are: the extract date of
// the data and when it was last imported, over the employers in its scope.
type freshness struct {
	Extract, LastImport time.Time
}

// freshness of a scope: its extract date (the latest of its employers', as
// the figures use it) and its latest import.
func (sc scope) freshness() freshness {
	list := sc.employers
	if list == nil {
		list = sc.served
	}
	f := freshness{Extract: sc.extract}
	for _, e := range list {
		if e.LastImport.After(f.LastImport) {
			f.LastImport = e.LastImport
		}
	}
	return f
}

// Freshness is the page's line "gegevens t/m 30-06-2026 · laatste import
// 01-07-2026 08:15", its dates as the pages write them; "" on a page
// without figures.
func (p page) Freshness() string {
	f := p.Fresh
	switch {
	case f == nil:
		return ""
	case f.Extract.IsZero() && f.LastImport.IsZero():
		return p.T("freshness_none")
	}
	return fmt.Sprintf(p.T("freshness"), p.Date(f.Extract), p.DateTime(f.LastImport))
}

// Date writes a date in the page's language: {{$.Date .Due}}.
func (p page) Date(t widgets.Dated) string { return widgets.Date(p.Lang, t) }

// DateTime writes a date and time of day in the page's language.
func (p page) DateTime(t widgets.Dated) string { return widgets.DateTime(p.Lang, t) }
