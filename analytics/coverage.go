package analytics

import (
	"encoding/json"
	"time"
)

// The period and extract date a result covers, with days as "YYYY-MM-DD".

// Date is a calendar day. In JSON it is "YYYY-MM-DD".
type Date struct{ time.Time }

// MarshalJSON writes the day as "YYYY-MM-DD", or null for the zero time.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(day(d.Time))
}

// UnmarshalJSON reads "YYYY-MM-DD" or null, as a client of the API does.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil {
		*d = Date{}
		return nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	*d = Date{t}
	return err
}

func dateOf(t time.Time) Date { return Date{dateOnly(t)} }

// Coverage says which period and data a result covers.
type Coverage struct {
	From         Date `json:"from"`
	To           Date `json:"to"` // cut back to the extract date
	CutAtExtract bool `json:"cut_at_extract"`
	ExtractDate  Date `json:"extract_date"`
}

func coverageOf(f Filter, cut bool) Coverage {
	return Coverage{From: dateOf(f.From), To: dateOf(f.To), CutAtExtract: cut, ExtractDate: dateOf(f.ExtractDate)}
}
