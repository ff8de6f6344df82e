package analytics

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestSmoke(t *testing.T) {
	s := openStore(t, "2025-01-31", "conventions_employments.csv", "conventions_absence.csv")
	g := rawGroups(t, s, Filter{From: date("2024-01-01"), To: date("2024-12-31")}, Options{}, ByDepartment)
	for k, v := range g {
		b, err := json.Marshal(v); if err != nil { t.Log(err); fmt.Printf("%+v\n", v) }
		fmt.Println(k, string(b))
	}
}
