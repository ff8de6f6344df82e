package dashboard

import (
	"context"
	"encoding/json"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/verzuim/absence/analytics/alerts"
	"github.com/verzuim/absence/ingest/storage"
)

// Follow-up of issue 14: the Signalen page shows each alert in the
// reader's language, from what it said; an alert from before (no facts
// kept) in the Dutch it was sent in.
func TestAlertsPageSpeaksTheUsersLanguage(t *testing.T) {
	site := newTestSiteSized(t, 300)
	if err := site.server.accounts.PutUser(User{Name: "hr-en", Role: RoleHR}, site.password); err != nil {
		t.Fatal(err)
	}
	if err := site.server.accounts.SetLang("hr-en", "en"); err != nil {
		t.Fatal(err)
	}
	ev := alerts.Event{Key: "overdue", Rule: alerts.DeadlineOverdue, EmployerID: storage.DefaultEmployerID, Department: "Zorg", Link: "/poortwachter?dept=Zorg",
		Facts: alerts.Facts{Department: "Zorg", Milestone: "action_plan", FirstSickDay: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Due: time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)}}
	ev.Title, ev.Text = ev.In("nl")
	facts, _ := json.Marshal(ev.Facts)
	ctx := context.Background()
	for _, a := range []storage.Alert{
		{Key: ev.Key, Rule: string(ev.Rule), EmployerID: ev.EmployerID, Title: ev.Title, Body: ev.Text, Link: ev.Link, Facts: string(facts)},
		{Key: "before", Rule: string(alerts.DeadlineOverdue), EmployerID: storage.DefaultEmployerID, Title: "Poortwachter-termijn verlopen: Kantoor", Body: "afdeling Kantoor"},
	} {
		a.Channels, a.SentAt = "mail", time.Now()
		if err := site.store.RecordAlert(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for user, want := range map[string][]string{
		"hr":    {"Poortwachter-termijn verlopen: Zorg", "de stap \"plan van aanpak\"", "04-05-2026", "Poortwachter-termijn verlopen: Kantoor"},
		"hr-en": {"Poortwachter deadline passed: Zorg", "the step \"action plan\"", "4 May 2026", "Poortwachter-termijn verlopen: Kantoor"},
	} {
		_, body := getAs(t, site, user, "/alerts")
		body = html.UnescapeString(body)
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the Signalen page does not say %q", user, w)
			}
		}
	}
}
