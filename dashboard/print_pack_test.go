package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/ingest/storage"
)

// The pack's print pages: six sections, one per printed page, charts
// marked for print, no person named; a bad month or an unknown department
// answers 400 in Dutch; a manager may not open it. The Alerts page lists an employer's alerts to
// its HR and every alert to the installation admin.
func TestPackPagesAndAlertsPage(t *testing.T) {
	site := newTestSiteSized(t, 300)
	code, body := getAs(t, site, "hr", "/print/pack?month=2026-05")
	if code != http.StatusOK {
		t.Fatalf("pack: %d\n%s", code, body)
	}
	if n := strings.Count(body, `class="pack-page"`); n != 6 || !strings.Contains(body, "data-print") {
		t.Errorf("the pack should have six print sections, marked for print; has %d", n)
	}
	for _, title := range []string{"Verzuimrapportage mei 2026", "Overzicht · mei 2026", "Uitsplitsing", "Verzuimduur", "Poortwachter", "Interventies"} {
		if !strings.Contains(body, title) {
			t.Errorf("the pack lacks %q", title)
		}
	}
	_, tracks := getAs(t, site, "hr", "/api/v1/tracks")
	var res struct {
		Data struct {
			Open []struct {
				EmployeeID string `json:"employee_id"`
			} `json:"open_tracks"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(tracks), &res); err != nil || len(res.Data.Open) == 0 {
		t.Fatalf("tracks: %v, %d open", err, len(res.Data.Open))
	}
	for _, tr := range res.Data.Open {
		if strings.Contains(body, tr.EmployeeID) {
			t.Fatalf("the pack names a person: %s", tr.EmployeeID)
		}
	}
	for _, c := range []struct{ path, want string }{
		{"/print/pack?month=2026-13", "Onbekende maand"},
		{"/print/pack?month=2027-01", "ligt na de gegevens"},
		{"/print/pack?month=2026-05&dept=Nergens", "Er is geen afdeling &#34;Nergens&#34;"},
	} {
		if code, body := getAs(t, site, "hr", c.path); code != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want 400 with %q", c.path, code, c.want)
		}
	}
	if code, _ := getAs(t, site, "manager", "/print/pack?month=2026-05"); code != http.StatusForbidden {
		t.Errorf("a manager opens the pack: %d", code)
	}

	ctx := context.Background()
	other, err := site.store.AddEmployer(ctx, "Bakkerij Jansen")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []storage.Alert{
		{Key: "own", Rule: "poortwachter_overdue", EmployerID: storage.DefaultEmployerID, Title: "Poortwachter-termijn verlopen: Zorg", Body: "afdeling Zorg", Link: "/poortwachter?dept=Zorg"},
		{Key: "other", Rule: "poortwachter_overdue", EmployerID: other.ID, Title: "Bakkerij-signaal", Body: "afdeling Oven"},
		{Key: "import", Rule: "import_failed", Title: "Import mislukt: x.csv", Body: "kapot"},
	} {
		a.Channels, a.SentAt = "mail", time.Now()
		for range 2 { // once per event
			if err := site.store.RecordAlert(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, hr := getAs(t, site, "hr", "/alerts")
	if strings.Count(hr, "Poortwachter-termijn verlopen: Zorg") != 1 || strings.Contains(hr, "Bakkerij-signaal") || strings.Contains(hr, "Import mislukt") {
		t.Errorf("HR should see their own employer's alert once, and no other:\n%s", hr)
	}
	_, admin := getAs(t, site, "admin", "/alerts")
	for _, title := range []string{"Poortwachter-termijn verlopen: Zorg", "Bakkerij-signaal", "Import mislukt: x.csv"} {
		if !strings.Contains(admin, title) {
			t.Errorf("the installation admin should see %q", title)
		}
	}
	if code, _ := getAs(t, site, "manager", "/alerts"); code != http.StatusForbidden {
		t.Errorf("a manager opens the alerts: %d", code)
	}
}
