package ingest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The Visma profile maps Visma Verzuim's own vangnet codes and recovery
// reasons (its public API's SafetyNetEnumOptions and
// RecoveryReasonEnumOptions): every row of the fixture imports, the vangnet
// codes set the flag, and the recovery reasons give the canonical end reason.
func TestVismaVangnetCodesAndRecoveryReasonsImport(t *testing.T) {
	s := openTestStore(t)
	mustImport(t, s, fixtures+"employments.csv", ImportOptions{})
	res := mustImport(t, s, fixtures+"visma_vangnet.csv", ImportOptions{ExtractDate: extract2024})
	if res.Profile != "visma-perioden" || res.Rejected != 0 {
		t.Fatalf("profile %s, %d rows rejected: %v", res.Profile, res.Rejected, res.Errors)
	}
	type row struct{ FirstSickDay, Type, EndReason, Vangnet string }
	var got []row
	rows, err := s.DB.Query(`SELECT strftime(first_sick_day, '%Y-%m-%d'), absence_type, end_reason, coalesce(vangnet::VARCHAR, '')
		FROM absence_cases ORDER BY first_sick_day`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.FirstSickDay, &r.Type, &r.EndReason, &r.Vangnet); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []row{
		{"2024-01-08", "sickness", "full_return", ""},
		{"2024-02-05", "sickness_pregnancy", "full_return", "true"}, // sick-due-to-pregnancy
		{"2024-03-04", "sickness", "full_return", "true"},           // disposal: no-risk polis
		{"2024-04-01", "sickness", "other", "true"},                 // start-aow; special-employment
		{"2024-05-06", "organ_donation", "full_return", "true"},     // sick-due-to-organ-donation
		{"2024-06-03", "sickness", "employment_ended", "true"},      // ill-out-of-service; not-specified
		{"2024-06-17", "sickness", "other", "true"},                 // end-wait-period; sick-due-to-childbirth
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("cases (-want +got):\n%s", d)
	}
}
