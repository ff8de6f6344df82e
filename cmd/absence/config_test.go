package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verzuim/absence/dashboard"
)

func TestConfigFileEnvironmentAndChecks(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) string {
		p := filepath.Join(dir, "absence.toml")
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	tests := []struct {
		name, file string
		env        map[string]string
		want       func(config) bool
		wantErr    string
	}{
		{name: "defaults", file: "", want: func(c config) bool {
			return c.Database == defaultDB && c.Addr == ":8080" && c.Retention.KeepYears == 2 && c.UploadLimitMB == 100 && c.TrustedProxies == nil && c.Import.MaxShrink == 0.2
		}},
		{name: "shrink guard", file: "[import]\nmax_shrink = 0.5\n", want: func(c config) bool { return c.Import.MaxShrink == 0.5 }},
		{name: "shrink guard from env", file: "[import]\nmax_shrink = 0.5\n", env: map[string]string{"ABSENCE_MAX_SHRINK": "0.1"},
			want: func(c config) bool { return c.Import.MaxShrink == 0.1 }},
		{name: "shrink guard zero", file: "[import]\nmax_shrink = 0\n", wantErr: "import.max_shrink is 0"},
		{name: "file", file: "database = \"x.duckdb\"\n[inbox]\ndir = \"in\"\nschedule = \"0 2 * * *\"\n[[inbox.rules]]\npattern = \"afas*\"\nprofile = \"afas-verloop\"\n",
			want: func(c config) bool {
				return c.Database == "x.duckdb" && c.Inbox.Dir == "in" && len(c.Inbox.Rules) == 1 && c.Inbox.Rules[0].Profile == "afas-verloop"
			}},
		{name: "environment wins", file: "database = \"x.duckdb\"\n", env: map[string]string{"ABSENCE_DB": "y.duckdb", "ABSENCE_MIN_EMPLOYEES": "20"},
			want: func(c config) bool { return c.Database == "y.duckdb" && c.Suppression.MinEmployees == 20 }},
		{name: "unknown setting", file: "databse = \"x\"\n", wantErr: `unknown setting "databse"`},
		{name: "sector", file: "sector = \"zorg\"\n", want: func(c config) bool { return c.Sector == "zorg" }},
		{name: "unknown sector", file: "sector = \"bakkerij\"\n", wantErr: `sector "bakkerij" has no benchmark; known: national`},
		{name: "relapse index", file: "[outcomes]\nrelapse_index_days = 91\n", want: func(c config) bool { return c.Outcomes.RelapseIndexDays == 91 }},
		{name: "cost", file: "[cost]\nwage_per_fte_day = 250\nsecond_year_pct = 85\nreplacement_per_fte_day = 40\n", want: func(c config) bool {
			r := c.analyticsOptions().Cost
			return r.WagePerFTEDay == 250 && r.FirstYearPct == 0 && r.SecondYearPct == 85 && r.ReplacementPerFTEDay == 40
		}},
		{name: "cost share above 100", file: "[cost]\nwage_per_fte_day = 250\nfirst_year_pct = 110\n", wantErr: "cost.first_year_pct is 110"},
		{name: "cost without wage", file: "[cost]\nreplacement_per_fte_day = 40\n", wantErr: "needs wage_per_fte_day"},
		{name: "threshold below 5", file: "[suppression]\nmin_cases = 3\n", wantErr: "never be below 5"},
		{name: "bad number in env", env: map[string]string{"ABSENCE_KEEP_YEARS": "two"}, wantErr: "$ABSENCE_KEEP_YEARS"},
		{name: "schedule without inbox", file: "[inbox]\nschedule = \"0 2 * * *\"\n", wantErr: "needs inbox.dir"},
		{name: "trusted proxies", file: "trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\"]\n", want: func(c config) bool { return len(c.TrustedProxies) == 2 }},
		{name: "trusted proxies in env", env: map[string]string{"ABSENCE_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2"},
			want: func(c config) bool { return len(c.TrustedProxies) == 2 && c.TrustedProxies[1] == "10.0.0.2" }},
		{name: "bad trusted proxy", file: "trusted_proxies = [\"10.0.0.0/33\"]\n", wantErr: `"10.0.0.0/33" is neither an IP address nor a CIDR range`},
		{name: "performance defaults", want: func(c config) bool {
			return c.Performance.MemoryLimit == "1GB" && c.Performance.Threads == 0 && c.Performance.QuerySlots == dashboard.DefaultQuerySlots() && c.Performance.QueueSeconds == 50
		}},
		{name: "performance", file: "[performance]\nmemory_limit = \"4GB\"\nthreads = 8\nquery_slots = 6\nqueue_seconds = 60\n", env: map[string]string{"ABSENCE_QUERY_SLOTS": "3"},
			want: func(c config) bool {
				p := c.Performance
				return p.MemoryLimit == "4GB" && p.Threads == 8 && p.QuerySlots == 3 && p.QueueSeconds == 60
			}},
		{name: "memory limit without unit", env: map[string]string{"ABSENCE_MEMORY_LIMIT": "4"}, wantErr: `memory_limit "4": expected a size`},
		{name: "no query slot", file: "[performance]\nquery_slots = 0\n", wantErr: "query_slots and queue_seconds 1 or more"},
		{name: "rule with unknown profile", file: "[inbox]\ndir = \"in\"\n[[inbox.rules]]\npattern = \"*\"\nprofile = \"nope\"\n", wantErr: `no profile named "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			path := ""
			if tt.file != "" {
				path = write(tt.file)
			}
			c, err := loadConfig(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.want(c) {
				t.Errorf("config %+v, err %v", c, err)
			}
		})
	}
}

func TestWebhookAddressIsMasked(t *testing.T) {
	got := maskURL("https://hooks.example.org/services/T000/SECRET?token=abc")
	if strings.Contains(got, "SECRET") || strings.Contains(got, "abc") || !strings.HasPrefix(got, "https://hooks.example.org/") {
		t.Errorf("masked %q", got)
	}
}
