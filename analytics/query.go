package analytics

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"text/template"
)

// The SQL of every figure family lives in sql/NAME.sql, with the CTEs they
// share (pieces, segments, employed and sick days, how a case ended, …)
// defined once as templates. A query is rendered from its file with
// sqlText fragments chosen by code (column names, grouping sets, and the
// $name placeholders of lists) and runs with every value bound as a named
// parameter: no value from a filter, an option or the data is ever part of
// the SQL text. render refuses template data that holds anything but
// sqlText and bools, and a placeholder without a value.

//go:embed sql/*.sql
var sqlFiles embed.FS

var sqlTemplates = template.Must(template.New("").Option("missingkey=error").Funcs(template.FuncMap{
	"args":             templateArgs,
	"exact_term":       exactTerm,
	"from_exact":       fromExact,
	"exact_parts":      exactParts,
	"exact_sum":        exactSum,
	"from_exact_parts": fromExactParts,
}).ParseFS(sqlFiles, "sql/*.sql"))

// sqlText is SQL chosen by code: keywords, column names and the $name
// placeholders of bound parameters. It never holds a value.
type sqlText string

// Query is one statement as it runs: the SQL of a figure family, whose first
// line names its file, and the values of its named parameters ($name), in
// the order they first appear.
type Query struct {
	Name   string // the file in analytics/sql, without .sql
	SQL    string
	Params []Param
}

// Param is the value of the named parameter $Name.
type Param struct {
	Name  string
	Value any
}

func (q Query) args() []any {
	out := make([]any, len(q.Params))
	for i, p := range q.Params {
		out[i] = sql.Named(p.Name, p.Value)
	}
	return out
}

// run and row are the only places a query reaches the database.
func (q Query) run(ctx context.Context, db Querier) (*sql.Rows, error) {
	return db.QueryContext(ctx, q.SQL, q.args()...)
}

func (q Query) row(ctx context.Context, db Querier) *sql.Row {
	return db.QueryRowContext(ctx, q.SQL, q.args()...)
}

// params collects the values of one query by name.
type params map[string]any

// set binds v to $name and returns the placeholder. A name holds one value:
// binding another one to it is a bug.
func (p params) set(name string, v any) sqlText {
	if old, ok := p[name]; ok && !reflect.DeepEqual(old, v) {
		panic(fmt.Sprintf("analytics: parameter $%s bound to %v and %v", name, old, v))
	}
	p[name] = v
	return sqlText("$" + name)
}

// period binds the period and the extract date of a resolved filter:
// $period_from, $period_to and $extract_date; and its employers.
func (p params) period(f Filter) params {
	p.set("period_from", f.From)
	p.set("period_to", f.To)
	p.set("extract_date", f.ExtractDate)
	return p.employers(f)
}

// employers binds the filter's employers as $employer_1, $employer_2, …
// and its providers as $provider_1, …: render restricts every query with
// such parameters to them.
func (p params) employers(f Filter) params {
	for i, id := range f.Employers {
		p.set(fmt.Sprintf("employer_%d", i+1), id)
	}
	for i, name := range f.Providers {
		p.set(fmt.Sprintf("provider_%d", i+1), name)
	}
	return p
}

// employerTables are the tables whose rows belong to an employer.
var employerTables = []string{"employments", "absence_cases", "case_segments", "interventions", "milestones", "imports"}

// employerScope restricts a query to the employers and providers bound by
// params.employers: a CTE named as each employer table shadows the table
// for the whole statement, so the figures' SQL is the same with and
// without a scope, and nothing is left out by a query that forgets it. NOT
// MATERIALIZED: DuckDB would otherwise copy a table used more than once.
// Without either it returns "": the query reads the tables themselves.
func employerScope(p params) string {
	employers, providers := bound(p, "employer"), bound(p, "provider")
	if employers == "" && providers == "" {
		return ""
	}
	var ctes []string
	for _, t := range employerTables {
		var where []string
		if employers != "" {
			where = append(where, "employer_id IN ("+employers+")")
		}
		if t == "interventions" && providers != "" {
			where = append(where, "provider IN ("+providers+")")
		}
		if len(where) > 0 {
			ctes = append(ctes, fmt.Sprintf("%[1]s AS NOT MATERIALIZED (SELECT * FROM main.%[1]s WHERE %[2]s)", t, strings.Join(where, " AND ")))
		}
	}
	return "-- restricted to the employers and providers in scope\nWITH " + strings.Join(ctes, ",\n")
}

// bound lists the placeholders $prefix_1, $prefix_2, … that p binds.
func bound(p params, prefix string) string {
	var in []string
	for i := 1; ; i++ {
		name := fmt.Sprintf("%s_%d", prefix, i)
		if _, ok := p[name]; !ok {
			break
		}
		in = append(in, "$"+name)
	}
	return strings.Join(in, ", ")
}

var placeholder = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)

// render executes sql/NAME.sql with data and keeps the parameters the SQL
// uses. A template error, a value in data or a placeholder without a value
// is a bug in this package, found by its tests, so it panics.
func render(name string, data any, p params) Query {
	q := Query{Name: name, SQL: renderText(name, data)}
	if scope := employerScope(p); scope != "" {
		header, body, _ := strings.Cut(q.SQL, "\n")
		body = strings.TrimSpace(body)
		switch rest, with := strings.CutPrefix(body, "WITH "); {
		case !strings.HasPrefix(header, "-- analytics/sql/"):
			panic(fmt.Sprintf("analytics: %s: only the query of a file can be restricted to employers", name))
		case with:
			q.SQL = header + "\n" + scope + ",\n" + rest
		case strings.HasPrefix(body, "SELECT "):
			q.SQL = header + "\n" + scope + "\n" + body
		default:
			panic(fmt.Sprintf("analytics: %s.sql: a query restricted to employers must start with WITH or SELECT", name))
		}
	}
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(q.SQL, -1) {
		n := m[1]
		v, ok := p[n]
		if !ok {
			panic(fmt.Sprintf("analytics: %s.sql: $%s has no value", name, n))
		}
		if !seen[n] {
			seen[n] = true
			q.Params = append(q.Params, Param{n, v})
		}
	}
	return q
}

// renderText executes sql/NAME.sql, with its file named in a first line
// (or the template NAME, without).
func renderText(name string, data any) string {
	if err := onlySQLText(reflect.ValueOf(data)); err != nil {
		panic(fmt.Sprintf("analytics: %s.sql: %v", name, err))
	}
	var b strings.Builder
	tmpl := name // a template of a file, without a header
	if sqlTemplates.Lookup(name+".sql") != nil {
		tmpl = name + ".sql"
		b.WriteString("-- analytics/sql/" + tmpl + "\n")
	}
	if err := sqlTemplates.ExecuteTemplate(&b, tmpl, data); err != nil {
		panic(fmt.Sprintf("analytics: %s.sql: %v", name, err))
	}
	return strings.TrimSpace(b.String())
}

// part renders the CTEs of sql/NAME.sql, or of the template NAME, for a
// query that adds to them, whose parameters their placeholders are bound
// in: render checks them, and restricts that query to the employers in
// scope.
func part(name string, data any, _ params) sqlText { return sqlText(renderText(name, data)) }

// onlySQLText accepts sqlText, bools, and structs, slices and maps of them:
// what a template may print is chosen by code.
func onlySQLText(v reflect.Value) error {
	if !v.IsValid() {
		return nil
	}
	if v.Type() == reflect.TypeFor[sqlText]() || v.Kind() == reflect.Bool {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return onlySQLText(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if err := onlySQLText(v.Field(i)); err != nil {
				return fmt.Errorf("%s: %w", v.Type().Field(i).Name, err)
			}
		}
		return nil
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := onlySQLText(v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if err := onlySQLText(it.Value()); err != nil {
				return fmt.Errorf("%v: %w", it.Key(), err)
			}
		}
		return nil
	}
	return fmt.Errorf("template data of type %s: bind values as parameters", v.Type())
}

// templateArgs lets a template pass arguments to a shared template:
// {{template "run_end" (args "emp" "r.emp" "day" "r.rec")}}. Keys and values
// are written in the SQL file itself.
func templateArgs(kv ...string) (map[string]sqlText, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("args: an odd number of arguments")
	}
	m := map[string]sqlText{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = sqlText(kv[i+1])
	}
	return m, nil
}
