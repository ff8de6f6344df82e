package main

import (
	"cmp"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/notify"
	"github.com/verzuim/absence/ingest/storage"
)

// config is the one configuration file of a running installation (TOML).
// Environment variables override it, and command-line flags override both.
type config struct {
	Database string `toml:"database"`
	Addr     string `toml:"addr"`
	// PseudonymKeyFile holds the key (64 hex characters); default beside the
	// database. $ABSENCE_PSEUDONYM_KEY overrides it.
	PseudonymKeyFile string `toml:"pseudonym_key_file"`
	Sector           string `toml:"sector"` // benchmark shown beside the national rate, e.g. "zorg"
	UploadLimitMB    int    `toml:"upload_limit_mb"`
	// TrustedProxies are the reverse proxies (IPs or CIDRs) whose
	// X-Forwarded-For names the client; default none.
	TrustedProxies []string    `toml:"trusted_proxies"`
	Inbox          inboxConfig `toml:"inbox"`
	Suppression    struct {
		MinEmployees int `toml:"min_employees"`
		MinCases     int `toml:"min_cases"`
	} `toml:"suppression"`
	// Cost prices a day of absence: the cost of absence (verzuimkosten) on
	// the overview and in the reports, and the return on interventions.
	Cost     costConfig `toml:"cost"`
	Outcomes struct {
		// RelapseIndexDays: relapse is followed after returns from cases
		// of at least this many days (default 42).
		RelapseIndexDays int `toml:"relapse_index_days"`
	} `toml:"outcomes"`
	Retention struct {
		KeepYears int    `toml:"keep_years"`
		Schedule  string `toml:"schedule"`
	} `toml:"retention"`
	Webhook struct {
		URL string `toml:"url"`
	} `toml:"webhook"`

	// Import bounds every row of every file imported (fields, bytes per
	// value and per row) and how much of its source an import may remove
	// unless confirmed.
	Import struct {
		ingest.Limits
		// MaxShrink is the share of its source's cases or employees an
		// import may remove unless confirmed (--allow-shrink).
		MaxShrink float64 `toml:"max_shrink"`
	} `toml:"import"`
	Performance performanceConfig `toml:"performance"`

	// PublishDir is where the writer publishes a read-only snapshot after
	// every import, undo or purge, for replicas (absence serve --replica);
	// PublishKeep how many it keeps (default 3, at least 2).
	PublishDir  string `toml:"publish_dir"`
	PublishKeep int    `toml:"publish_keep"`
	// SessionSecret signs the dashboard's session cookies; the writer and
	// its replicas share it, so a login holds on each. At least 32
	// characters. $ABSENCE_SESSION_SECRET overrides it.
	SessionSecret string `toml:"session_secret"`
	// WriterURL is, for a replica, the writer's address, so a logout on the
	// replica reaches every server (optional).
	WriterURL string `toml:"writer_url"`

	// The report packs and alerts the server sends (deliveries.go), and
	// the mail server they go through. DashboardURL is the dashboard's
	// address as its users reach it, for the links in alerts.
	SMTP         notify.SMTP    `toml:"smtp"`
	Packs        []packSchedule `toml:"pack"`
	Alerts       []alertConfig  `toml:"alert"`
	DashboardURL string         `toml:"dashboard_url"`
}

// costConfig is the [cost] section: the wage cost of a full-time calendar
// day (0: no cost figures), the share of the wage paid in the first and
// second year of sickness (0: 100 and 70) and an optional replacement cost
// per full-time day.
type costConfig struct {
	WagePerFTEDay        float64 `toml:"wage_per_fte_day"`
	FirstYearPct         float64 `toml:"first_year_pct"`
	SecondYearPct        float64 `toml:"second_year_pct"`
	ReplacementPerFTEDay float64 `toml:"replacement_per_fte_day"`
}

func (c costConfig) rates() analytics.CostRates {
	return analytics.CostRates{WagePerFTEDay: c.WagePerFTEDay, FirstYearPct: c.FirstYearPct,
		SecondYearPct: c.SecondYearPct, ReplacementPerFTEDay: c.ReplacementPerFTEDay}
}

func (c costConfig) check() error {
	if c.WagePerFTEDay < 0 || c.ReplacementPerFTEDay < 0 {
		return errors.New("config: cost.wage_per_fte_day and cost.replacement_per_fte_day are amounts in euros and cannot be negative")
	}
	for _, p := range []struct {
		name string
		v    float64
		def  int
	}{{"first_year_pct", c.FirstYearPct, analytics.DefaultFirstYearPct}, {"second_year_pct", c.SecondYearPct, analytics.DefaultSecondYearPct}} {
		if p.v < 0 || p.v > 100 {
			return fmt.Errorf("config: cost.%s is %g; give the percentage of the wage paid during sickness, 0 to 100 (0: the default, %d)", p.name, p.v, p.def)
		}
	}
	if c.WagePerFTEDay == 0 && (c.FirstYearPct != 0 || c.SecondYearPct != 0 || c.ReplacementPerFTEDay != 0) {
		return errors.New("config: the [cost] section needs wage_per_fte_day (the wage cost of one full-time day in euros); without it no cost is computed")
	}
	return nil
}

// performanceConfig sizes the database and the dashboard for serving.
type performanceConfig struct {
	MemoryLimit  string `toml:"memory_limit"`  // DuckDB's buffer limit, e.g. "2GB"; default 1GB
	Threads      int    `toml:"threads"`       // DuckDB's worker threads; 0: one per core
	QuerySlots   int    `toml:"query_slots"`   // figures computed at once; 0: dashboard.DefaultQuerySlots
	QueueSeconds int    `toml:"queue_seconds"` // an API call or download waits for its figures, then "busy, try again"; 0: 50
}

type inboxConfig struct {
	Dir      string       `toml:"dir"`
	Schedule string       `toml:"schedule"` // cron, e.g. "0 2 * * *"
	Watch    bool         `toml:"watch"`    // also import as files arrive
	Rules    []inbox.Rule `toml:"rules"`
}

// env lists the environment variables that override the file.
var env = []struct {
	name string
	set  func(c *config, v string) error
}{
	{"ABSENCE_DB", func(c *config, v string) error { c.Database = v; return nil }},
	{"ABSENCE_ADDR", func(c *config, v string) error { c.Addr = v; return nil }},
	{"ABSENCE_INBOX", func(c *config, v string) error { c.Inbox.Dir = v; return nil }},
	{"ABSENCE_SCHEDULE", func(c *config, v string) error { c.Inbox.Schedule = v; return nil }},
	{"ABSENCE_WEBHOOK_URL", func(c *config, v string) error { c.Webhook.URL = v; return nil }},
	{"ABSENCE_MIN_EMPLOYEES", func(c *config, v string) (err error) { c.Suppression.MinEmployees, err = strconv.Atoi(v); return }},
	{"ABSENCE_MIN_CASES", func(c *config, v string) (err error) { c.Suppression.MinCases, err = strconv.Atoi(v); return }},
	{"ABSENCE_KEEP_YEARS", func(c *config, v string) (err error) { c.Retention.KeepYears, err = strconv.Atoi(v); return }},
	{"ABSENCE_MEMORY_LIMIT", func(c *config, v string) error { c.Performance.MemoryLimit = v; return nil }},
	{"ABSENCE_QUERY_SLOTS", func(c *config, v string) (err error) { c.Performance.QuerySlots, err = strconv.Atoi(v); return }},
	{"ABSENCE_TRUSTED_PROXIES", func(c *config, v string) error { c.TrustedProxies = strings.FieldsFunc(v, isListSep); return nil }},
	{"ABSENCE_MAX_FIELDS", func(c *config, v string) (err error) { c.Import.MaxFields, err = strconv.Atoi(v); return }},
	{"ABSENCE_MAX_FIELD_BYTES", func(c *config, v string) (err error) { c.Import.MaxFieldBytes, err = strconv.Atoi(v); return }},
	{"ABSENCE_MAX_LINE_BYTES", func(c *config, v string) (err error) { c.Import.MaxLineBytes, err = strconv.Atoi(v); return }},
	{"ABSENCE_PUBLISH_DIR", func(c *config, v string) error { c.PublishDir = v; return nil }},
	{"ABSENCE_SESSION_SECRET", func(c *config, v string) error { c.SessionSecret = v; return nil }},
	{"ABSENCE_SMTP_PASSWORD", func(c *config, v string) error { c.SMTP.Password = v; return nil }},
	{"ABSENCE_MAX_SHRINK", func(c *config, v string) (err error) { c.Import.MaxShrink, err = strconv.ParseFloat(v, 64); return }},
}

// configFlags are the --config and --db flags of every subcommand that
// opens the database. Every such subcommand loads its settings through
// them, so the command line and the dashboard apply the same configuration
// (thresholds, key, limits). Only demo reads none: it must never touch a
// configured database.
type configFlags struct{ path, db *string }

func addConfigFlags(fs *flag.FlagSet) configFlags {
	return configFlags{
		path: fs.String("config", "", "configuration file (default $ABSENCE_CONFIG)"),
		db:   fs.String("db", "", "database file (overrides the configuration; default "+defaultDB+")"),
	}
}

// load reads the configuration (loadConfig) and applies --db.
func (f configFlags) load() (config, error) {
	c, err := loadConfig(*f.path)
	if err != nil {
		return c, err
	}
	if *f.db != "" {
		c.Database = *f.db
	}
	return c, nil
}

// loadConfig reads the file (path, or $ABSENCE_CONFIG; none is fine), then
// the environment, and fills in defaults.
func loadConfig(path string) (config, error) {
	c := config{Database: defaultDB, Addr: ":8080", UploadLimitMB: 100}
	c.Import.Limits = ingest.DefaultLimits()
	c.Retention.KeepYears = 2
	c.Import.MaxShrink = ingest.DefaultMaxShrink
	c.Performance = performanceConfig{MemoryLimit: "1GB", QuerySlots: dashboard.DefaultQuerySlots(), QueueSeconds: int(dashboard.DefaultQueueTimeout / time.Second)}
	if path == "" {
		path = os.Getenv("ABSENCE_CONFIG")
	}
	if path != "" {
		md, err := toml.DecodeFile(path, &c)
		if err != nil {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
		if undec := md.Undecoded(); len(undec) > 0 {
			return c, fmt.Errorf("config %s: unknown setting %q", path, undec[0].String())
		}
	}
	for _, e := range env {
		if v, ok := os.LookupEnv(e.name); ok {
			if err := e.set(&c, v); err != nil {
				return c, fmt.Errorf("$%s: %w", e.name, err)
			}
		}
	}
	return c, c.check()
}

func (c config) check() error {
	if c.Database == "" {
		return errors.New("config: database must name a file")
	}
	if c.Suppression.MinEmployees != 0 && c.Suppression.MinEmployees < 5 || c.Suppression.MinCases != 0 && c.Suppression.MinCases < 5 {
		return errors.New("config: suppression thresholds can never be below 5")
	}
	if err := c.Cost.check(); err != nil {
		return err
	}
	if c.Outcomes.RelapseIndexDays < 0 {
		return errors.New("config: outcomes.relapse_index_days cannot be negative")
	}
	if c.Sector != "" && len(analytics.BenchmarksFor(c.Sector)) == 0 {
		var keys []string
		for _, b := range analytics.Benchmarks() {
			if !slices.Contains(keys, b.Key) {
				keys = append(keys, b.Key)
			}
		}
		return fmt.Errorf("config: sector %q has no benchmark; known: %s", c.Sector, strings.Join(keys, ", "))
	}
	if err := dashboard.CheckTrustedProxies(c.TrustedProxies); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := c.Import.Check(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if c.Import.MaxShrink <= 0 || c.Import.MaxShrink > 1 {
		return fmt.Errorf("config: import.max_shrink is %g; give the share of a source an import may remove unconfirmed, more than 0 and at most 1 (0.2 = 20%%; 1 turns the guard off)", c.Import.MaxShrink)
	}
	if p := c.Performance; p.Threads < 0 || p.QuerySlots < 1 || p.QueueSeconds < 1 {
		return errors.New("config: performance.threads must be 0 or more, query_slots and queue_seconds 1 or more")
	}
	if !memoryLimit.MatchString(c.Performance.MemoryLimit) {
		return fmt.Errorf("config: performance.memory_limit %q: expected a size such as \"1GB\" or \"512MB\"", c.Performance.MemoryLimit)
	}
	if c.SessionSecret != "" && len(c.SessionSecret) < 32 {
		return errors.New("config: session_secret needs at least 32 characters (e.g. the output of: openssl rand -hex 32)")
	}
	if c.PublishKeep < 0 || c.PublishKeep == 1 {
		return errors.New("config: publish_keep must be 2 or more (0: the default, 3), so a replica that is opening the previous snapshot still finds it")
	}
	if c.Inbox.Schedule != "" && c.Inbox.Dir == "" {
		return errors.New("config: inbox.schedule needs inbox.dir")
	}
	for _, r := range c.Inbox.Rules {
		if _, err := ingest.LoadProfile(r.Profile); err != nil {
			return fmt.Errorf("config: inbox rule %q: %w", r.Pattern, err)
		}
	}
	return c.checkDeliveries()
}

var memoryLimit = regexp.MustCompile(`^[0-9]+(\.[0-9]+)? ?([KMGT]i?B)$`)

// pseudonymKey reads the configured key file, if one is configured.
func (c config) pseudonymKey() ([]byte, error) {
	if c.PseudonymKeyFile == "" {
		return nil, nil
	}
	data, err := os.ReadFile(c.PseudonymKeyFile)
	if err != nil {
		return nil, fmt.Errorf("pseudonymisation key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("pseudonymisation key file %s: expected at least 32 hex characters", c.PseudonymKeyFile)
	}
	return key, nil
}

// runConfig: absence config check [--config FILE] validates the configuration
// and prints the effective values, secrets masked.
func runConfig(args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return errors.New("usage: absence config check [--config FILE]")
	}
	fs := flag.NewFlagSet("config check", flag.ContinueOnError)
	path := fs.String("config", "", "configuration file (default $ABSENCE_CONFIG)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	c, err := loadConfig(*path)
	if err != nil {
		return err
	}
	if _, err := c.pseudonymKey(); err != nil {
		return err
	}
	if c.Inbox.Dir != "" {
		if info, err := os.Stat(c.Inbox.Dir); err != nil || !info.IsDir() {
			return fmt.Errorf("config: inbox %s is not a folder that can be read", c.Inbox.Dir)
		}
	}
	key := "beside the database (" + storage.KeyPath(c.Database) + ")"
	if c.PseudonymKeyFile != "" {
		key = c.PseudonymKeyFile
	}
	if os.Getenv(storage.KeyEnv) != "" {
		key = "$" + storage.KeyEnv + " (set, hidden)"
	}
	fmt.Printf("database            %s\n", c.Database)
	fmt.Printf("addr                %s\n", c.Addr)
	fmt.Printf("pseudonymisation    key %s\n", key)
	fmt.Printf("upload limit        %d MB\n", c.UploadLimitMB)
	fmt.Printf("trusted proxies     %s\n", orNone(strings.Join(c.TrustedProxies, ", ")))
	fmt.Printf("import limits       %d fields per row, %d bytes per value, %d bytes per row\n", c.Import.MaxFields, c.Import.MaxFieldBytes, c.Import.MaxLineBytes)
	fmt.Printf("inbox               %s\n", orNone(c.Inbox.Dir))
	fmt.Printf("inbox schedule      %s (watch %v)\n", orNone(c.Inbox.Schedule), c.Inbox.Watch)
	for _, r := range c.Inbox.Rules {
		if r.Employer != "" {
			fmt.Printf("inbox rule          %s/%s → %s\n", r.Employer, r.Pattern, r.Profile)
			continue
		}
		fmt.Printf("inbox rule          %s → %s\n", r.Pattern, r.Profile)
	}
	fmt.Printf("sector benchmark    %s\n", orNone(c.Sector))
	fmt.Printf("suppression         fewer than %d employees or %d cases\n", or(c.Suppression.MinEmployees, analytics.DefaultMinEmployees), or(c.Suppression.MinCases, analytics.DefaultMinCases))
	cost := "(none: no wage_per_fte_day)"
	if r := c.Cost.rates(); r.Configured() {
		cost = fmt.Sprintf("wage € %.2f per FTE day, paid %g%% in the first year and %g%% in the second of a case, replacement € %.2f per FTE day",
			r.WagePerFTEDay, cmp.Or(r.FirstYearPct, analytics.DefaultFirstYearPct), cmp.Or(r.SecondYearPct, analytics.DefaultSecondYearPct), r.ReplacementPerFTEDay)
	}
	fmt.Printf("cost                %s\n", cost)
	fmt.Printf("relapse             after returns from cases of at least %d days\n", or(c.Outcomes.RelapseIndexDays, analytics.DefaultRelapseIndexDays))
	fmt.Printf("retention           %d years after employment ends; schedule %s\n", c.Retention.KeepYears, orNone(c.Retention.Schedule))
	fmt.Printf("shrink guard        an import may remove at most %.0f%% of its source's cases or employees unless confirmed\n", 100*c.Import.MaxShrink)
	fmt.Printf("webhook             %s\n", maskURL(c.Webhook.URL))
	printDeliveries(c)
	fmt.Printf("publish             %s (keep %d)\n", orNone(c.PublishDir), or(c.PublishKeep, storage.DefaultKeepSnapshots))
	secret := "(none: random at every start, sessions last as long as the process)"
	if c.SessionSecret != "" {
		secret = "(set, hidden)"
	}
	fmt.Printf("session secret      %s\n", secret)
	fmt.Printf("writer (replicas)   %s\n", orNone(c.WriterURL))
	threads := "one per core"
	if c.Performance.Threads > 0 {
		threads = strconv.Itoa(c.Performance.Threads)
	}
	fmt.Printf("database memory     %s, threads %s\n", c.Performance.MemoryLimit, threads)
	fmt.Printf("figures at once     %d; an API call or download waits at most %d s, then \"busy, try again\"\n", c.Performance.QuerySlots, c.Performance.QueueSeconds)
	fmt.Println("configuration OK")
	return nil
}

// isListSep separates the entries of a list in an environment variable.
func isListSep(r rune) bool { return r == ',' || r == ' ' }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func or(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// maskURL hides what may be a secret in a webhook address: its path and query.
func maskURL(u string) string {
	if u == "" {
		return "(none)"
	}
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "(set, hidden)"
	}
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host + "/… (hidden)"
}
