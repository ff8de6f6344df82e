package ingest

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Profile says how one vendor's export maps onto the canonical model. Profiles
// are small TOML files; the built-in ones live in profiles/ and document every
// key.
type Profile struct {
	Name        string `toml:"name"`
	Description string `toml:"description"`
	Kind        Kind   `toml:"kind"`
	// Layout of absence files: "periods" (one row per period with a constant
	// percentage) or "events" (one row per sick report, partial recovery, recovery).
	Layout string `toml:"layout"`
	// Mode "snapshot": the file is the whole truth for its source and replaces
	// what the source delivered before. "increment": it updates what it mentions.
	Mode   string `toml:"mode"`
	Source string `toml:"source"`
	// Window of an absence snapshot: "all" (the file holds every case of
	// its source) or "file" (a rolling export, e.g. the last 24 months: it
	// replaces only the source's cases whose first sick day lies from the
	// earliest first sick day in the file up to its extract date, both
	// included; the source's earlier cases stay as they are).
	Window string `toml:"window"`
	// Role "employer" refuses diagnosis or cause columns; "provider" drops them.
	Role             string   `toml:"role"`
	Delimiter        string   `toml:"delimiter"`         // ";", ",", "\t", "|" or "auto"
	Encoding         string   `toml:"encoding"`          // "utf-8", "windows-1252" or "auto"
	DateFormats      []string `toml:"date_formats"`      // strptime formats; empty: detect
	DecimalSeparator string   `toml:"decimal_separator"` // ",", "." or "auto"
	// RecoveryDate of an event file's recovery row: "first_day_back" or "last_sick_day".
	RecoveryDate string `toml:"recovery_date"`
	// PeriodEnd of a period file's end date: "last_day" (inclusive) or "day_after".
	PeriodEnd string `toml:"period_end"`
	// Percentage: "absent" (% of working time absent) or "present" (% recovered).
	Percentage    string  `toml:"percentage"`
	FulltimeHours float64 `toml:"fulltime_hours"` // when the file has no full-time hours column
	// DropColumns are read past on purpose (names, BSN); they are never stored.
	DropColumns []string `toml:"drop_columns"`
	// Columns maps canonical field → header in the file.
	Columns map[string]string `toml:"columns"`
	// Values maps, per canonical field, a value in the file → canonical value.
	Values map[string]map[string]string `toml:"values"`
	// VangnetTypes are values of the absence type column that mean the
	// Ziektewet vangnet applies (AFAS "Vangnetindicatie"): such a case gets
	// vangnet = true, whatever its canonical type.
	VangnetTypes []string `toml:"vangnet_types"`
}

// Kind is what a file holds.
type Kind string

const (
	KindAbsence      Kind = "absence"
	KindEmployment   Kind = "employment"
	KindIntervention Kind = "intervention"
	KindMilestone    Kind = "milestone"
)

//go:embed profiles/*.toml
var builtinFS embed.FS

// BuiltinProfiles returns the profiles shipped with the program, by name.
func BuiltinProfiles() ([]*Profile, error) {
	entries, err := builtinFS.ReadDir("profiles")
	if err != nil {
		return nil, err
	}
	var out []*Profile
	for _, e := range entries {
		data, err := builtinFS.ReadFile("profiles/" + e.Name())
		if err != nil {
			return nil, err
		}
		p, err := ParseProfile(data, "profiles/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// LoadProfile finds a profile by built-in name or by file path.
func LoadProfile(nameOrPath string) (*Profile, error) {
	p, err := BuiltinProfile(nameOrPath)
	if err == nil {
		return p, nil
	}
	data, readErr := os.ReadFile(nameOrPath)
	if readErr != nil {
		if os.IsNotExist(readErr) && !strings.ContainsAny(nameOrPath, `/\.`) {
			return nil, err // a name, not a path: it lists the built-in ones
		}
		return nil, fmt.Errorf("profile %s: %w", nameOrPath, readErr)
	}
	return ParseProfile(data, nameOrPath)
}

// BuiltinProfile is the built-in profile of that name; it never reads a
// file, so a name from a web form cannot make the server read one.
func BuiltinProfile(name string) (*Profile, error) {
	builtins, err := BuiltinProfiles()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range builtins {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("no profile named %q; built-in profiles: %s", name, strings.Join(names, ", "))
}

// ParseProfile reads and checks a profile; where names the file in errors.
func ParseProfile(data []byte, where string) (*Profile, error) {
	var p Profile
	md, err := toml.Decode(string(data), &p)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", where, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return nil, fmt.Errorf("profile %s: unknown key %q", where, undec[0].String())
	}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(where), filepath.Ext(where))
	}
	setDefault(&p.Source, p.Name)
	setDefault(&p.Mode, "snapshot")
	setDefault(&p.Window, "all")
	setDefault(&p.Role, "employer")
	setDefault(&p.Delimiter, "auto")
	setDefault(&p.Encoding, "auto")
	setDefault(&p.DecimalSeparator, "auto")
	setDefault(&p.RecoveryDate, "first_day_back")
	setDefault(&p.PeriodEnd, "last_day")
	setDefault(&p.Percentage, "absent")
	if p.Delimiter == `\t` {
		p.Delimiter = "\t"
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", where, err)
	}
	return &p, nil
}

func setDefault(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

func oneOf(what, got string, allowed ...string) error {
	if slices.Contains(allowed, got) {
		return nil
	}
	return fmt.Errorf("%s is %q; it must be one of %s", what, got, strings.Join(allowed, ", "))
}

func (p *Profile) check() error {
	checks := []error{
		oneOf("kind", string(p.Kind), string(KindAbsence), string(KindEmployment), string(KindIntervention), string(KindMilestone)),
		oneOf("mode", p.Mode, "snapshot", "increment"),
		oneOf("window", p.Window, "all", "file"),
		oneOf("role", p.Role, "employer", "provider"),
		oneOf("delimiter", p.Delimiter, "auto", ";", ",", "\t", "|"),
		oneOf("encoding", p.Encoding, "auto", "utf-8", "windows-1252"),
		oneOf("decimal_separator", p.DecimalSeparator, "auto", ",", "."),
		oneOf("recovery_date", p.RecoveryDate, "first_day_back", "last_sick_day"),
		oneOf("period_end", p.PeriodEnd, "last_day", "day_after"),
		oneOf("percentage", p.Percentage, "absent", "present"),
	}
	if p.Kind == KindAbsence {
		checks = append(checks, oneOf("layout", p.Layout, "periods", "events"))
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	if p.Window == "file" && (p.Kind != KindAbsence || p.Mode != "snapshot") {
		return fmt.Errorf(`window = "file" is for absence snapshots (kind = "absence", mode = "snapshot"); this profile is a %s %s`, p.Kind, p.Mode)
	}
	fields := p.fields()
	for field := range p.Columns {
		if _, ok := fieldByName(fields, field); !ok {
			return fmt.Errorf("[columns] has %q, which is not a field of a %s %s file; fields: %s", field, p.Layout, p.Kind, fieldNames(fields))
		}
	}
	for _, f := range fields {
		if f.required && p.Columns[f.name] == "" {
			return fmt.Errorf("[columns] must map %q", f.name)
		}
	}
	if p.Kind == KindEmployment && p.Columns["fulltime_hours"] == "" && p.Columns["part_time_factor"] == "" && p.FulltimeHours <= 0 {
		return fmt.Errorf("an employment profile needs a fulltime_hours or part_time_factor column, or fulltime_hours = <hours> at the top")
	}
	for field, m := range p.Values {
		f, ok := fieldByName(fields, field)
		if !ok {
			return fmt.Errorf("[values.%s]: %q is not a field of this kind of file", field, field)
		}
		for from, to := range m {
			if len(f.allowed) > 0 && !slices.Contains(f.allowed, to) {
				return fmt.Errorf("[values.%s] maps %q to %q; allowed: %s", field, from, to, strings.Join(f.allowed, ", "))
			}
		}
	}
	if len(p.VangnetTypes) > 0 && p.Columns["absence_type"] == "" {
		return fmt.Errorf("vangnet_types needs an absence_type column in [columns]")
	}
	for _, f := range p.DateFormats {
		if !strings.Contains(f, "%") {
			return fmt.Errorf("date format %q is not a strptime format such as %%d-%%m-%%Y", f)
		}
	}
	return nil
}

// header returns the file's column for a canonical field, or "".
func (p *Profile) header(field string) string { return p.Columns[field] }
