package dashboard

import (
	"fmt"
	"time"
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

// Freshness is the page's line "gegevens t/m 2026-06-30 · laatste import
// 2026-07-01 08:15"; "" on a page without figures.
func (p page) Freshness() string {
	f := p.Fresh
	switch {
	case f == nil:
		return ""
	case f.Extract.IsZero() && f.LastImport.IsZero():
		return p.T("freshness_none")
	}
	when := func(t time.Time, layout string) string {
		if t.IsZero() {
			return "–"
		}
		return t.Format(layout)
	}
	return fmt.Sprintf(p.T("freshness"), when(f.Extract, time.DateOnly), when(f.LastImport, "2006-01-02 15:04"))
}
