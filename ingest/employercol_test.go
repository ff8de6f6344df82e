package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verzuim/absence/datasets"
	"github.com/verzuim/absence/ingest/internal/testkit"
	"github.com/verzuim/absence/ingest/storage"
)

// The two client employers of the bureau tests, and the generated
// organisation each has (their personnel numbers overlap).
var bureauClients = []struct {
	name      string
	employees int
	seed      uint64
}{{"Bakkerij Jansen", 120, 5}, {"Zorggroep Noord", 80, 6}}

// bureauFiles writes each client's native exports into a folder of its own,
// and the bureau's combined files (a Werkgever column first, the clients'
// rows interleaved) into dir; it returns the folders by client.
func bureauFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	own := map[string]string{}
	combined := map[string][]string{}
	for _, c := range bureauClients {
		folder := filepath.Join(dir, c.name)
		if _, err := datasets.WriteFiles(folder, datasets.Config{Employees: c.employees, Seed: c.seed, ExtractDate: testkit.OrgExtract}, "native"); err != nil {
			t.Fatal(err)
		}
		own[c.name] = folder
		for _, f := range []string{"employments.csv", "absence_periods.csv"} {
			lines := strings.Split(strings.TrimSuffix(string(mustRead(t, filepath.Join(folder, f))), "\n"), "\n")
			if combined[f] == nil {
				combined[f] = []string{"Werkgever," + lines[0]}
			}
			for i, l := range lines[1:] {
				// Interleave: the client's rows keep their order among
				// themselves; the name's case differs now and then.
				name := c.name
				if i%3 == 0 {
					name = " " + strings.ToLower(name)
				}
				at := min(len(combined[f]), 1+2*i+len(combined[f])%2)
				combined[f] = slices.Insert(combined[f], at, fmt.Sprintf("%q,%s", name, l))
			}
		}
	}
	for f, lines := range combined {
		if err := os.WriteFile(filepath.Join(dir, "bureau_"+f), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return own
}

// bureauStore is a database with the bureau's clients as employers.
func bureauStore(t *testing.T) *testStore {
	t.Helper()
	s := openTestStore(t)
	for _, c := range bureauClients {
		if _, err := s.AddEmployer(context.Background(), c.name); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func bureauProfile(t *testing.T, kind string) *Profile {
	t.Helper()
	p, err := LoadProfile(fixtures + "bureau_" + kind + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// importBureau imports the bureau's combined employments and absence.
func importBureau(t *testing.T, s *testStore, dir string, opt ImportOptions) []*Result {
	t.Helper()
	opt.ExtractDate = testkit.OrgExtract
	var out []*Result
	for _, f := range []struct{ file, profile string }{{"bureau_employments.csv", "employments"}, {"bureau_absence_periods.csv", "periods"}} {
		opt.Profile = bureauProfile(t, f.profile)
		out = append(out, mustImport(t, s, filepath.Join(dir, f.file), opt))
	}
	return out
}

// storedRows lists an employer's rows of each data table as text, each
// with the personnel number its pseudonym stands for, so that two
// databases (each with its own salts) can be compared.
func storedRows(t *testing.T, s *testStore, employer string, numbers []string) []string {
	t.Helper()
	ctx := context.Background()
	e, err := s.Reader().EmployerByName(ctx, employer)
	if err != nil {
		t.Fatal(err)
	}
	number := map[string]string{}
	for _, n := range numbers {
		p, err := s.EmployerPseudonym(ctx, e.ID, n)
		if err != nil {
			t.Fatal(err)
		}
		number[p] = n
	}
	var out []string
	for _, table := range testkit.DataTables {
		rows, err := s.DB.Query(fmt.Sprintf(`SELECT employee_id, to_json(t)::VARCHAR FROM (SELECT COLUMNS(c -> c NOT IN ('import_id', 'source', 'employer_id', 'employee_key'))
			FROM (SELECT k.pseudonym AS employee_id, t.* FROM %s t JOIN employees k USING (employee_key) WHERE t.employer_id = ?)) t`, table), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, rest string
			if err := rows.Scan(&id, &rest); err != nil {
				t.Fatal(err)
			}
			n, ok := number[id]
			if !ok {
				t.Fatalf("%s: a row of %s has a pseudonym of none of its personnel numbers", table, employer)
			}
			out = append(out, table+" "+strings.ReplaceAll(rest, id, n))
		}
		rows.Close()
	}
	slices.Sort(out)
	return out
}

// personnelNumbers are the employee ids in a native employments file.
func personnelNumbers(t *testing.T, folder string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(string(mustRead(t, filepath.Join(folder, "employments.csv"))), "\n")[1:] {
		if id, _, ok := strings.Cut(l, ","); ok {
			out = append(out, id)
		}
	}
	return out
}

// A bureau's combined files land each row in the employer it names: every
// employer holds exactly what importing its own files for it gives, under
// its own pseudonyms, and one import per employer is in the history.
func TestFileOfSeveralEmployersIsEachEmployersOwnImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	own := bureauFiles(t, dir)

	combined := bureauStore(t)
	results := importBureau(t, combined, dir, ImportOptions{})
	separate := bureauStore(t)
	for _, c := range bureauClients {
		for _, f := range []string{"employments.csv", "absence_periods.csv"} {
			mustImport(t, separate, filepath.Join(own[c.name], f), ImportOptions{Employer: c.name, ExtractDate: testkit.OrgExtract})
		}
	}

	for _, res := range results {
		if res.Rejected != 0 || len(res.PerEmployer) != 2 || res.ImportID != res.PerEmployer[0].ImportID || res.Accepted != res.PerEmployer[0].Accepted+res.PerEmployer[1].Accepted {
			t.Errorf("%s: %+v; want no rejects and an import for each employer, the file's counts their sums", res.File, res)
		}
	}
	for _, c := range bureauClients {
		numbers := personnelNumbers(t, own[c.name])
		got, want := storedRows(t, combined, c.name, numbers), storedRows(t, separate, c.name, numbers)
		if len(want) == 0 {
			t.Fatalf("%s: nothing stored", c.name)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s from the combined file differs from its own files (-own +combined):\n%s", c.name, diff)
		}
	}
	// The same personnel number at the two employers is two people.
	var shared, sameID int64
	err := combined.DB.QueryRow(`SELECT count(*) FROM (SELECT pseudonym FROM employees WHERE employer_id = 2 INTERSECT SELECT pseudonym FROM employees WHERE employer_id = 3)`).Scan(&sameID)
	if err != nil {
		t.Fatal(err)
	}
	a, b := personnelNumbers(t, own[bureauClients[0].name]), personnelNumbers(t, own[bureauClients[1].name])
	for _, n := range b {
		if slices.Contains(a, n) {
			shared++
		}
	}
	if shared == 0 || sameID != 0 {
		t.Errorf("%d personnel numbers at both employers, %d pseudonyms shared; want some numbers shared and no pseudonym", shared, sameID)
	}
	// Each employer's import in the file's one transaction hands out keys
	// after those of the one before.
	var keys, distinct int64
	if err := combined.DB.QueryRow(`SELECT count(*), count(DISTINCT employee_key) FROM employees`).Scan(&keys, &distinct); err != nil || keys == 0 || keys != distinct {
		t.Errorf("%d employees with %d distinct keys (%v); want a key of their own for each", keys, distinct, err)
	}
	list, err := combined.Imports(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var history []string
	for _, r := range list {
		history = append(history, fmt.Sprintf("%s %s %s", r.Kind, r.Employer, r.Status))
	}
	want := []string{"absence Zorggroep Noord committed", "absence Bakkerij Jansen committed", "employment Zorggroep Noord committed", "employment Bakkerij Jansen committed"}
	if diff := cmp.Diff(want, history); diff != "" {
		t.Errorf("the import history (-want +got):\n%s", diff)
	}
}

// A row naming an employer the installation lacks, or none, is rejected
// with file, line, column and reason; no employer is made for it.
func TestUnknownEmployerInTheColumnRejectsTheRow(t *testing.T) {
	s := bureauStore(t)
	emp := writeFile(t, "bureau.csv", "Werkgever,employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n"+
		"Bakkerij Jansen,E1,2020-01-01,,Bakkerij,,,40,40,1980,F\n"+
		"Bakkerij Jansn,E2,2020-01-01,,Bakkerij,,,40,40,1980,F\n"+
		",E3,2020-01-01,,Bakkerij,,,40,40,1980,F\n"+
		"Zorggroep Noord,E1,2020-01-01,,Zorg,,,40,40,1980,F\n"+
		"Zorggroep Noord,E2,2020-01-01,,Zorg,,,40,40,1980,F,extra\n")
	res := mustImport(t, s, emp, ImportOptions{Profile: bureauProfile(t, "employments"), ExtractDate: extract2024})
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.String())
	}
	want := []string{
		`bureau.csv line 3, column "Werkgever": employer "Bakkerij Jansn" is not an employer of this installation, so the row was not imported; did you mean "Bakkerij Jansen"? ('absence employers' lists the employers, 'absence employers add NAME' adds one)`,
		`bureau.csv line 4, column "Werkgever": the employer is empty; every row must name the employer it belongs to`,
		`bureau.csv line 6: has 12 fields where the header has 11`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rejected rows (-want +got):\n%s", diff)
	}
	if res.Read != 5 || res.Accepted != 2 || res.Rejected != 3 {
		t.Errorf("read %d, accepted %d, rejected %d; want 5, 2, 3", res.Read, res.Accepted, res.Rejected)
	}
	var employers, stored int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM employers`), &employers)
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM import_errors WHERE import_id = ?`, res.ImportID), &stored)
	if employers != 3 || stored != 3 {
		t.Errorf("%d employers, %d rejected rows in the history of import %d; want the default and the two clients, and the 3 rows", employers, stored, res.ImportID)
	}

	// A file no row of which names a known employer imports nothing.
	none := writeFile(t, "none.csv", "Werkgever,employee_id,start_date,end_date,department,team,location,contract_hours,fulltime_hours,birth_year,gender\n"+
		"Onbekend,E1,2020-01-01,,Bakkerij,,,40,40,1980,F\n")
	before := testkit.Data(t, s.Store)
	_, err := s.ImportFile(context.Background(), none, ImportOptions{Profile: bureauProfile(t, "employments"), ExtractDate: extract2024})
	if !errors.Is(err, ErrNoValidRows) || !IsBadFile(err) || !strings.Contains(err.Error(), "none of the 1 rows belongs to an employer of this installation") {
		t.Errorf("a file of an unknown employer only: %v", err)
	}
	if testkit.Data(t, s.Store) != before {
		t.Error("the failed import changed the data")
	}
}

// A snapshot of the combined file replaces the source of the employers in
// it only: an employer absent from the file keeps its data. The imports of
// one file commit together (a refused employer refuses the file), and
// undoing one undoes them all.
func TestCombinedSnapshotKeepsAbsentEmployersAndUndoesWhole(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bureauFiles(t, dir)
	s := bureauStore(t)
	importBureau(t, s, dir, ImportOptions{})
	var zorg int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT employer_id FROM employers WHERE name = 'Zorggroep Noord'`), &zorg)
	employerData := func(id int64) string {
		var n int64
		var h string
		testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*), coalesce(sum(hash(c))::VARCHAR, '') FROM absence_cases c WHERE employer_id = ?`, id), &n, &h)
		return fmt.Sprintf("%d/%s", n, h)
	}
	zorgBefore := employerData(zorg)
	before := fingerprint(t, s, testkit.DataTables...)

	// The next export holds the bakery's rows only, one case fewer.
	lines := strings.Split(string(mustRead(t, filepath.Join(dir, "bureau_absence_periods.csv"))), "\n")
	var bakery []string
	for _, l := range lines[1:] {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(strings.Trim(l, `"`))), "bakkerij") || strings.HasPrefix(l, `" bakkerij`) {
			bakery = append(bakery, l)
		}
	}
	next := writeFile(t, "bureau_next.csv", lines[0]+"\n"+strings.Join(bakery[:len(bakery)-1], "\n")+"\n")
	res, err := s.ImportFile(ctx, next, ImportOptions{Profile: bureauProfile(t, "periods"), ExtractDate: testkit.OrgExtract})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.PerEmployer) != 1 || res.PerEmployer[0].Employer != "Bakkerij Jansen" || res.Change != nil && res.Change.Employer != "" {
		t.Fatalf("the bakery's export: %+v; want one import, the bakery's", res)
	}
	if got := employerData(zorg); got != zorgBefore {
		t.Errorf("Zorggroep Noord's cases changed (%s, were %s) by a file without its rows", got, zorgBefore)
	}
	if c := res.PerEmployer[0].Change; c == nil || c.After >= c.Before {
		t.Errorf("the bakery's change: %+v; want a case fewer", c)
	}
	if _, err := s.Undo(ctx, res.ImportID, storage.UndoOptions{By: "test"}); err != nil {
		t.Fatal(err)
	}
	if fingerprint(t, s, testkit.DataTables...) != before {
		t.Fatal("the undo did not restore the data")
	}

	// A file whose rows of one employer would shrink its source too much
	// is refused whole: the other employer's rows do not land either.
	var shrink []string
	for i, l := range lines[1:] {
		if l != "" && (!slices.Contains(bakery, l) || i%2 == 0) {
			shrink = append(shrink, l)
		}
	}
	half := writeFile(t, "bureau_half.csv", lines[0]+"\n"+strings.Join(shrink, "\n")+"\n")
	if _, err := s.ImportFile(ctx, half, ImportOptions{Profile: bureauProfile(t, "periods"), ExtractDate: testkit.OrgExtract}); !errors.Is(err, ErrShrink) ||
		!strings.Contains(err.Error(), `the rows of employer "Bakkerij Jansen"`) {
		t.Errorf("a file halving the bakery's cases: %v; want the shrink guard, naming the bakery", err)
	}
	if fingerprint(t, s, testkit.DataTables...) != before {
		t.Error("a refused file changed the data")
	}

	// Undoing the original absence import (either employer's) undoes both.
	list, err := s.Imports(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	var absence []int64
	for _, r := range list {
		if r.Kind == "absence" && r.Status == "committed" {
			absence = append(absence, r.ID)
		}
	}
	if len(absence) != 2 {
		t.Fatalf("committed absence imports %v; want the two of the combined file", absence)
	}
	undo, err := s.Undo(ctx, absence[0], storage.UndoOptions{By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var cases int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM absence_cases`), &cases)
	if cases != 0 || len(undo.Together) != 1 {
		t.Errorf("after undoing import %d: %d cases, undone with it %+v; want none left, the other employer's import undone too", absence[0], cases, undo.Together)
	}
}

// Imported for one employer (--employer, or an employer's admin), the
// combined file lands that employer's rows only; the others are rejected,
// with the name the row gives (whether the installation has such an
// employer is not told).
func TestCombinedFileForOneEmployerRejectsTheOthers(t *testing.T) {
	dir := t.TempDir()
	own := bureauFiles(t, dir)
	s := bureauStore(t)
	results := importBureau(t, s, dir, ImportOptions{Employer: "zorggroep noord"})
	var others int64
	testkit.ScanRow(t, s.DB.QueryRow(`SELECT count(*) FROM employments WHERE employer_id <> 3`), &others)
	if others != 0 {
		t.Errorf("%d employments of other employers stored", others)
	}
	res := results[0]
	wantRejected := int64(len(personnelNumbers(t, own["Bakkerij Jansen"])))
	if len(res.PerEmployer) != 1 || res.Employer != "Zorggroep Noord" || res.Rejected != wantRejected || res.Accepted == 0 {
		t.Errorf("employments for Zorggroep Noord only: %+v; want its rows, the bakery's %d rejected", res, wantRejected)
	}
	if len(res.Errors) == 0 || res.Errors[0].Reason != `the row names employer "bakkerij jansen", but this import is for employer "Zorggroep Noord" only` || res.Errors[0].Column != "Werkgever" {
		t.Errorf("first reason: %+v", res.Errors[:min(1, len(res.Errors))])
	}
}

// A row repeated in a combined file is a duplicate in its employer's part,
// whether or not it needs trimming (" bakkerij jansen"), and only there.
func TestCombinedFileFindsRepeatsInEachPart(t *testing.T) {
	dir := t.TempDir()
	bureauFiles(t, dir)
	path := filepath.Join(dir, "bureau_absence_periods.csv")
	lines := strings.Split(strings.TrimSuffix(string(mustRead(t, path)), "\n"), "\n")
	repeated := []string{lines[1], lines[2], lines[1]} // the first two rows are of the two employers
	zorg := func(l string) bool { return strings.Contains(strings.ToLower(l), "zorggroep") }
	if zorg(lines[1]) == zorg(lines[2]) {
		t.Fatalf("rows 1 and 2 are of one employer: %q, %q", lines[1], lines[2])
	}
	if err := os.WriteFile(path, []byte(strings.Join(append(lines, repeated...), "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := importBureau(t, bureauStore(t), dir, ImportOptions{})[1]
	var got []string
	for _, p := range res.PerEmployer {
		got = append(got, fmt.Sprintf("%s: %d duplicate", p.Employer, p.Duplicate))
	}
	want := []string{"Bakkerij Jansen: 1 duplicate", "Zorggroep Noord: 2 duplicate"}
	if res.Duplicate != 3 || !slices.Equal(got, want) {
		t.Errorf("%d duplicate in the file, %v; want 3, %v", res.Duplicate, got, want)
	}
}

// One part of a combined file can be its employer's first import, whose
// units the commit stores straight from views of the staged rows, and the
// next part a re-import, staged in temp tables of the same names on the
// same connection (and the other way round): each part leaves the
// connection clean for the next, and every employer ends up with what its
// own files give.
func TestCombinedFileMixesFirstImportsAndReimports(t *testing.T) {
	dir := t.TempDir()
	own := bureauFiles(t, dir)
	separate := bureauStore(t)
	for _, c := range bureauClients {
		for _, f := range []string{"employments.csv", "absence_periods.csv"} {
			mustImport(t, separate, filepath.Join(own[c.name], f), ImportOptions{Employer: c.name, ExtractDate: testkit.OrgExtract})
		}
	}
	for _, stored := range bureauClients {
		t.Run("stored before: "+stored.name, func(t *testing.T) {
			// An earlier export, without its last row, for that employer.
			earlier := t.TempDir()
			for _, f := range []string{"bureau_employments.csv", "bureau_absence_periods.csv"} {
				lines := strings.Split(strings.TrimSuffix(string(mustRead(t, filepath.Join(dir, f))), "\n"), "\n")
				if err := os.WriteFile(filepath.Join(earlier, f), []byte(strings.Join(lines[:len(lines)-1], "\n")+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s := bureauStore(t)
			importBureau(t, s, earlier, ImportOptions{Employer: stored.name})
			for _, res := range importBureau(t, s, dir, ImportOptions{}) {
				if len(res.PerEmployer) != 2 {
					t.Fatalf("%s: %d imports; want one for each employer", res.File, len(res.PerEmployer))
				}
				for _, p := range res.PerEmployer {
					if first := p.Employer != stored.name; first != (p.Change.Before == 0) {
						t.Errorf("%s for %s: %d units stored before; want a first import only for the employer without data", res.File, p.Employer, p.Change.Before)
					}
				}
			}
			for _, c := range bureauClients {
				numbers := personnelNumbers(t, own[c.name])
				if diff := cmp.Diff(storedRows(t, separate, c.name, numbers), storedRows(t, s, c.name, numbers)); diff != "" {
					t.Errorf("%s differs from its own files (-own +combined):\n%s", c.name, diff)
				}
			}
		})
	}
}
