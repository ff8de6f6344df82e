package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInterventionPayer: the optional payer column is found in the header,
// its Dutch words and canonical values are stored, and an unknown payer is
// rejected with the line and the values that are known.
func TestInterventionPayer(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "iv.csv", strings.Join([]string{
		"employee_id,intervention_type,provider,start_date,end_date,sessions,outcome,cost,payer",
		"E001,psychological_coaching,Mentaal Fit BV,2024-02-01,2024-04-01,8,completed,1250,Werkgever", // 2
		"E002,mediation,,2024-03-01,,,,,ERD WGA",                                                      // 3
		"E003,labour_expert,,2024-03-01,,,,,zorgverzekeraar",                                          // 4
		"E004,return_talk,,2024-03-01,,,,,UWV",                                                        // 5
		"E001,intervention_talk,,2024-03-01,,,,,",                                                     // 6 no payer
		"E002,intervention_talk,,2024-03-01,,,,,de buurman",                                           // 7 unknown
	}, "\n")+"\n")
	res := mustImport(t, s, file, ImportOptions{})
	if res.Profile != "native-interventions" {
		t.Errorf("profile %s, want native-interventions", res.Profile)
	}
	if len(res.Errors) != 1 || res.Errors[0].Line != 7 || !strings.Contains(res.Errors[0].Reason, `unknown payer "de buurman"`) ||
		!strings.Contains(res.Errors[0].Reason, "erd_zw") {
		t.Fatalf("errors %+v, want line 7 rejected as an unknown payer naming the known ones", res.Errors)
	}
	got := map[string]string{}
	for _, typ := range []string{"psychological_coaching", "mediation", "labour_expert", "return_talk", "intervention_talk"} {
		var payer *string
		if err := s.DB.QueryRow(`SELECT payer FROM interventions WHERE intervention_type = ?`, typ).Scan(&payer); err != nil {
			t.Fatal(err)
		}
		got[typ] = "NULL"
		if payer != nil {
			got[typ] = *payer
		}
	}
	want := map[string]string{"psychological_coaching": "employer", "mediation": "erd_wga", "labour_expert": "zorgverzekeraar", "return_talk": "uwv", "intervention_talk": "NULL"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stored payers (-want +got):\n%s", d)
	}
}

// TestPayerInAProfile: a vendor's payer column and codes map through a
// profile; a code mapped to an unknown payer is refused when the profile is
// read.
func TestPayerInAProfile(t *testing.T) {
	const vendor = `name = "vendor-interventions"
kind = "intervention"
[columns]
employee_id = "Personeelsnummer"
intervention_type = "Soort"
start_date = "Begindatum"
payer = "Betaald door"
[values.intervention_type]
Coaching = "psychological_coaching"
[values.payer]
WG = "employer"
ZV = "zorgverzekeraar"
`
	p, err := ParseProfile([]byte(vendor), "vendor.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	file := writeFile(t, "iv.csv", "Personeelsnummer,Soort,Begindatum,Betaald door\nE001,Coaching,2024-02-01,ZV\nE002,Coaching,2024-02-01,WG\n")
	if res := mustImport(t, s, file, ImportOptions{Profile: p}); len(res.Errors) > 0 {
		t.Fatalf("errors %v", res.Errors)
	}
	var payers string
	if err := s.DB.QueryRow(`SELECT string_agg(payer, ',' ORDER BY payer) FROM interventions`).Scan(&payers); err != nil {
		t.Fatal(err)
	}
	if payers != "employer,zorgverzekeraar" {
		t.Errorf("payers %q, want employer,zorgverzekeraar", payers)
	}
	bad := strings.Replace(vendor, `ZV = "zorgverzekeraar"`, `ZV = "insurer"`, 1)
	if _, err := ParseProfile([]byte(bad), "bad.toml"); err == nil || !strings.Contains(err.Error(), `[values.payer] maps "ZV" to "insurer"`) {
		t.Errorf("a payer mapped to an unknown value: %v", err)
	}
}
