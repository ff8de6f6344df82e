package storage

import (
	"fmt"
	"strings"
)

// migrations are applied in order, each in its own transaction; the schema
// version is the number applied. Never edit a migration that has shipped:
// append a new one.
var migrations = []string{
	// 1: the canonical model.
	`
CREATE SEQUENCE import_seq START 1;

-- Small facts about the database itself, such as the fingerprint of the
-- pseudonymisation key (never the key).
CREATE TABLE settings (
	name  VARCHAR PRIMARY KEY,
	value VARCHAR NOT NULL
);

-- The ledger: one row per import attempt. content_sha256 makes a re-import of
-- the same file a no-op.
CREATE TABLE imports (
	import_id      INTEGER PRIMARY KEY DEFAULT nextval('import_seq'),
	file_name      VARCHAR   NOT NULL,
	content_sha256 VARCHAR   NOT NULL,
	profile        VARCHAR   NOT NULL,
	kind           VARCHAR   NOT NULL,  -- absence | employment | intervention
	source         VARCHAR   NOT NULL,  -- what a snapshot replaces
	mode           VARCHAR   NOT NULL,  -- snapshot | increment
	extract_date   DATE      NOT NULL,  -- open cases run to this date
	started_at     TIMESTAMP NOT NULL,
	finished_at    TIMESTAMP NOT NULL,
	rows_read      BIGINT    NOT NULL,
	rows_accepted  BIGINT    NOT NULL,
	rows_rejected  BIGINT    NOT NULL,
	rows_duplicate BIGINT    NOT NULL,
	status         VARCHAR   NOT NULL,  -- committed | failed
	message        VARCHAR
);

-- Every rejected input row of a committed import: line as a text editor counts
-- it (header = line 1).
CREATE TABLE import_errors (
	import_id   INTEGER NOT NULL,
	line        BIGINT  NOT NULL,
	column_name VARCHAR,
	raw_value   VARCHAR,
	reason      VARCHAR NOT NULL
);

-- Contract periods. employee_id is always the keyed pseudonym, never the
-- personnel number. end_date is the last day employed (inclusive), NULL while
-- employed. Part-time factor = contract_hours / fulltime_hours.
CREATE TABLE employments (
	employee_id    VARCHAR NOT NULL,
	start_date     DATE    NOT NULL,
	end_date       DATE,
	department     VARCHAR NOT NULL,
	team           VARCHAR,
	location       VARCHAR,
	contract_hours DOUBLE  NOT NULL,
	fulltime_hours DOUBLE  NOT NULL,
	birth_year     SMALLINT,
	gender         VARCHAR,           -- M | F | X
	source         VARCHAR NOT NULL,
	import_id      INTEGER NOT NULL
);

-- Statistical absence cases (verzuimgevallen): from first_sick_day up to, not
-- including, recovery_date (the first day fully back); NULL while open.
CREATE TABLE absence_cases (
	employee_id    VARCHAR NOT NULL,
	first_sick_day DATE    NOT NULL,
	recovery_date  DATE,
	absence_type   VARCHAR NOT NULL,  -- sickness | sickness_pregnancy | pregnancy_leave | other
	end_reason     VARCHAR,           -- full_return | adapted_own_work | other_work_own_employer | second_track | wia_iva | employment_ended | other
	source         VARCHAR NOT NULL,
	import_id      INTEGER NOT NULL
);

-- The percentage absent within a case, from valid_from up to valid_to
-- (exclusive; NULL while the case is open). Partial recovery is a new segment
-- of the same case, not a new case.
CREATE TABLE case_segments (
	employee_id    VARCHAR NOT NULL,
	first_sick_day DATE    NOT NULL,
	valid_from     DATE    NOT NULL,
	valid_to       DATE,
	absence_pct    DOUBLE  NOT NULL
);

-- Interventions by occupational-health providers; linked to the case open on
-- start_date by the analytics, not here.
CREATE TABLE interventions (
	employee_id       VARCHAR NOT NULL,
	intervention_type VARCHAR NOT NULL,  -- intervention_talk | labour_expert | psychological_coaching | mediation | second_track | return_talk
	provider          VARCHAR,
	start_date        DATE    NOT NULL,
	end_date          DATE,
	sessions          INTEGER,
	outcome           VARCHAR,           -- completed | stopped | ongoing
	cost              DECIMAL(12,2),
	source            VARCHAR NOT NULL,
	import_id         INTEGER NOT NULL
);
`,
	// 2: Poortwachter milestones, as an optional import: the date each step
	// of a case's legal track was done. first_sick_day names a case of the
	// track (usually its first).
	`
CREATE TABLE milestones (
	employee_id    VARCHAR NOT NULL,
	first_sick_day DATE    NOT NULL,
	milestone      VARCHAR NOT NULL,  -- problem_analysis | action_plan | week42_report | first_year_evaluation | second_track_start | wia_application
	done_date      DATE    NOT NULL,
	source         VARCHAR NOT NULL,
	import_id      INTEGER NOT NULL
);
`,
	// 3: the retention purge log (Store.Purge). Each purge also has a row in
	// imports (kind 'purge') so the history shows it; this table keeps the
	// rule it applied and what it removed. Dry runs are not logged.
	`
CREATE TABLE purges (
	import_id     INTEGER PRIMARY KEY,  -- its row in imports
	keep_years    INTEGER NOT NULL,     -- years kept after the last day of employment
	cutoff        DATE    NOT NULL,     -- employees whose last employment ended before this day were purged
	requested_by  VARCHAR NOT NULL,     -- who or what asked, e.g. "cli:alice" or "schedule"
	employees     BIGINT  NOT NULL,
	absence_cases BIGINT  NOT NULL,
	case_segments BIGINT  NOT NULL,
	interventions BIGINT  NOT NULL,
	milestones    BIGINT  NOT NULL,
	employments   BIGINT  NOT NULL
);
`,
	// 4: pregnancy, organ donation and the Ziektewet vangnet (issue 10).
	// absence_type gains organ_donation; vangnet is the export's no-risk /
	// vangnet flag (NULL: not recorded). Milestones gain sick_report and
	// action_plan_evaluation (package poortwachter lists them).
	`
ALTER TABLE absence_cases ADD COLUMN vangnet BOOLEAN;
`,
	// 5: undo. What an import replaced — rows it removed, or whose newer
	// version it stored — is moved, not deleted, into a replaced_ table,
	// tagged with the import that replaced it, so undoing that import can
	// put it back (Store.Undo). The retention purge removes these rows by
	// the same rule as the live ones. An undo is a row in imports (kind
	// 'undo') and one here; the import it undid gets status 'undone'.
	`
CREATE TABLE replaced_employments (
	employee_id        VARCHAR NOT NULL,
	start_date         DATE    NOT NULL,
	end_date           DATE,
	department         VARCHAR NOT NULL,
	team               VARCHAR,
	location           VARCHAR,
	contract_hours     DOUBLE  NOT NULL,
	fulltime_hours     DOUBLE  NOT NULL,
	birth_year         SMALLINT,
	gender             VARCHAR,
	source             VARCHAR NOT NULL,
	import_id          INTEGER NOT NULL,  -- the import that stored the row
	replaced_by_import INTEGER NOT NULL   -- the import that replaced it
);
CREATE TABLE replaced_absence_cases (
	employee_id        VARCHAR NOT NULL,
	first_sick_day     DATE    NOT NULL,
	recovery_date      DATE,
	absence_type       VARCHAR NOT NULL,
	end_reason         VARCHAR,
	source             VARCHAR NOT NULL,
	import_id          INTEGER NOT NULL,
	vangnet            BOOLEAN,
	replaced_by_import INTEGER NOT NULL
);
CREATE TABLE replaced_case_segments (
	employee_id        VARCHAR NOT NULL,
	first_sick_day     DATE    NOT NULL,
	valid_from         DATE    NOT NULL,
	valid_to           DATE,
	absence_pct        DOUBLE  NOT NULL,
	import_id          INTEGER,           -- the import that stored the period (migration 6)
	replaced_by_import INTEGER NOT NULL
);
CREATE TABLE replaced_interventions (
	employee_id        VARCHAR NOT NULL,
	intervention_type  VARCHAR NOT NULL,
	provider           VARCHAR,
	start_date         DATE    NOT NULL,
	end_date           DATE,
	sessions           INTEGER,
	outcome            VARCHAR,
	cost               DECIMAL(12,2),
	source             VARCHAR NOT NULL,
	import_id          INTEGER NOT NULL,
	replaced_by_import INTEGER NOT NULL
);
CREATE TABLE replaced_milestones (
	employee_id        VARCHAR NOT NULL,
	first_sick_day     DATE    NOT NULL,
	milestone          VARCHAR NOT NULL,
	done_date          DATE    NOT NULL,
	source             VARCHAR NOT NULL,
	import_id          INTEGER NOT NULL,
	replaced_by_import INTEGER NOT NULL
);
CREATE TABLE undos (
	import_id     INTEGER PRIMARY KEY,  -- the undo's row in imports
	undone_import INTEGER NOT NULL,     -- the import it undid
	requested_by  VARCHAR NOT NULL      -- e.g. "cli:alice" or "web:admin"
);
`,
	// 6: every row an import writes names its import, case periods too, so
	// rows of an import that never committed can be found (importWrites).
	// A case and its periods are always written by the same import, so the
	// periods stored so far take the import id of their case (of a
	// committed import, should a case appear twice).
	`
ALTER TABLE case_segments ADD COLUMN import_id INTEGER;
UPDATE case_segments s SET import_id = (SELECT min(c.import_id) FROM absence_cases c
	WHERE c.employee_id = s.employee_id AND c.first_sick_day = s.first_sick_day
		AND c.import_id IN (SELECT import_id FROM imports WHERE status = 'committed'));
`,
	// 7: employers (issue 12). Every row an import writes belongs to an
	// employer, and so does each import in the history; a provider keeps
	// its client employers in one database. The default employer (id 1,
	// DefaultEmployerID) is made here and every existing row goes into it,
	// unchanged: an employer that installs the product for itself never
	// names one. pseudonym_salt is mixed into the HMAC input of the
	// employer's personnel numbers (Pseudonym); the default employer's is
	// empty, so its pseudonyms are those of before. A purge over every
	// employer has no employer (NULL). Columns are added with DEFAULT 1 to
	// fill the existing rows, then lose the default: a write that forgets
	// the employer fails instead of landing in the default employer.
	`
CREATE SEQUENCE employer_seq START 1;
CREATE TABLE employers (
	employer_id    INTEGER   PRIMARY KEY DEFAULT nextval('employer_seq'),
	name           VARCHAR   NOT NULL UNIQUE,
	pseudonym_salt VARCHAR   NOT NULL,  -- '' for the default employer
	created_at     TIMESTAMP NOT NULL
);
INSERT INTO employers (name, pseudonym_salt, created_at) VALUES ('default', '', now());
` + employerColumns("employments", "absence_cases", "case_segments", "interventions", "milestones",
		"replaced_employments", "replaced_absence_cases", "replaced_case_segments", "replaced_interventions", "replaced_milestones") + `
ALTER TABLE imports ADD COLUMN employer_id INTEGER;
UPDATE imports SET employer_id = 1 WHERE kind <> 'purge';
`,
	// 8: who bore an intervention's cost (issue 13), an optional column:
	// employer | erd_zw | erd_wga | zorgverzekeraar | uwv | other.
	`
ALTER TABLE interventions ADD COLUMN payer VARCHAR;
ALTER TABLE replaced_interventions ADD COLUMN payer VARCHAR;
`,
	// 9: the alerts sent (issue 14), one row per event: its key makes an
	// alert go out once however often the rules are evaluated. Texts name
	// departments and links, never a pseudonym.
	`
CREATE TABLE sent_alerts (
	event_key   VARCHAR   PRIMARY KEY,
	rule        VARCHAR   NOT NULL,
	employer_id INTEGER,             -- NULL: the installation's (an import)
	title       VARCHAR   NOT NULL,
	body        VARCHAR   NOT NULL,
	link        VARCHAR,
	channels    VARCHAR   NOT NULL,  -- where it went: webhook, mail
	sent_at     TIMESTAMP NOT NULL
);
`,
	// 10: what an alert said without words (JSON), so each reader gets it
	// in their own language; NULL for an alert sent before (its Dutch
	// title and body are shown).
	`
ALTER TABLE sent_alerts ADD COLUMN facts VARCHAR;
`,
	// 11: one file holding several employers' rows (a profile's employer
	// column) is imported as one import per employer, committed together;
	// each but the first names the first in file_import, and an undo of
	// any of them undoes them all (Store.Undo). NULL for every other import.
	`
ALTER TABLE imports ADD COLUMN file_import INTEGER;
`,
	// 12: integer employee keys (issue 15). Each employee of an employer
	// gets a compact key, once, and every table that named the employee by
	// its 20-character pseudonym names it by the key, which joins, sorts
	// and groups faster and takes less space. The pseudonym stays the
	// identity users see (exports, worklists, lists): employees maps the
	// key back. Keys are handed out in the order of employer and pseudonym
	// here and in that of an import's new pseudonyms later, and never
	// change. Each table is rebuilt, the key first where employee_id was,
	// its other columns and its rows in their order; its NOT NULL columns
	// are named again (a rebuilt table has none). Reports stay the same
	// byte for byte: what is ordered by employee is ordered by pseudonym,
	// and sums of fractions are exact (analytics/exact_sum.go), so the
	// plans DuckDB makes for integer keys change no digit.
	`
CREATE TABLE employees (
	employee_key INTEGER NOT NULL,
	employer_id  INTEGER NOT NULL,
	pseudonym    VARCHAR NOT NULL
);
INSERT INTO employees SELECT row_number() OVER (ORDER BY employer_id, employee_id), employer_id, employee_id FROM (
	SELECT DISTINCT employer_id, employee_id FROM (` + unionOfEmployees(keyedTables) + `));
` + keyedColumns(keyedTables),
	// 13: the absence type and the end reason of a case as ENUM types
	// (issue 15). Both are fixed sets (the import accepts no other value,
	// ingest/fields.go). Stored as text, they and the source took 80% of
	// the CPU of storing an import's cases (at 1M employees 2.5 CPU-s, 0.5
	// without the three); as ENUMs, stored as small numbers, 1.7. An ENUM
	// compares with text as text (the analytics' IN ('sickness', …) keep
	// working, a value it does not hold matches nothing) and its values are
	// listed in byte order, so it sorts, and min and max pick, as the text
	// did. A value added later needs a migration that makes the type anew.
	`
CREATE TYPE absence_type AS ENUM ('organ_donation', 'other', 'pregnancy_leave', 'sickness', 'sickness_pregnancy');
CREATE TYPE end_reason AS ENUM ('adapted_own_work', 'employment_ended', 'full_return', 'other', 'other_work_own_employer', 'second_track', 'wia_iva');
ALTER TABLE absence_cases ALTER COLUMN absence_type TYPE absence_type;
ALTER TABLE absence_cases ALTER COLUMN end_reason TYPE end_reason;
ALTER TABLE replaced_absence_cases ALTER COLUMN absence_type TYPE absence_type;
ALTER TABLE replaced_absence_cases ALTER COLUMN end_reason TYPE end_reason;
`,
}

// keyedTables are the tables that name an employee, each with its NOT NULL
// columns other than the employee (migration 12).
var keyedTables = [][]string{
	{"employments", "start_date", "department", "contract_hours", "fulltime_hours", "source", "import_id", "employer_id"},
	{"absence_cases", "first_sick_day", "absence_type", "source", "import_id", "employer_id"},
	{"case_segments", "first_sick_day", "valid_from", "absence_pct", "employer_id"},
	{"interventions", "intervention_type", "start_date", "source", "import_id", "employer_id"},
	{"milestones", "first_sick_day", "milestone", "done_date", "source", "import_id", "employer_id"},
	{"replaced_employments", "start_date", "department", "contract_hours", "fulltime_hours", "source", "import_id", "replaced_by_import", "employer_id"},
	{"replaced_absence_cases", "first_sick_day", "absence_type", "source", "import_id", "replaced_by_import", "employer_id"},
	{"replaced_case_segments", "first_sick_day", "valid_from", "absence_pct", "replaced_by_import", "employer_id"},
	{"replaced_interventions", "intervention_type", "start_date", "source", "import_id", "replaced_by_import", "employer_id"},
	{"replaced_milestones", "first_sick_day", "milestone", "done_date", "source", "import_id", "replaced_by_import", "employer_id"},
}

// unionOfEmployees selects employer_id and employee_id of every row of the
// tables.
func unionOfEmployees(tables [][]string) string {
	sel := make([]string, len(tables))
	for i, t := range tables {
		sel[i] = "SELECT employer_id, employee_id FROM " + t[0]
	}
	return strings.Join(sel, " UNION ALL ")
}

// keyedColumns rebuilds each table with employee_key in place of
// employee_id (migration 12). An UPDATE and a DROP COLUMN of one table
// cannot commit in one transaction in DuckDB; a rebuild can.
func keyedColumns(tables [][]string) string {
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, `
CREATE TABLE %[1]s__keyed AS SELECT e.employee_key, t.* EXCLUDE (employee_id)
	FROM %[1]s t JOIN employees e ON e.employer_id = t.employer_id AND e.pseudonym = t.employee_id ORDER BY t.rowid;
DROP TABLE %[1]s;
ALTER TABLE %[1]s__keyed RENAME TO %[1]s;`, t[0])
		for _, col := range append([]string{"employee_key"}, t[1:]...) {
			fmt.Fprintf(&b, `
ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;`, t[0], col)
		}
	}
	return b.String()
}

// employerColumns adds employer_id INTEGER NOT NULL to each table, its
// existing rows in the default employer (migration 7).
func employerColumns(tables ...string) string {
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, `
ALTER TABLE %[1]s ADD COLUMN employer_id INTEGER DEFAULT 1;
ALTER TABLE %[1]s ALTER COLUMN employer_id DROP DEFAULT;
ALTER TABLE %[1]s ALTER COLUMN employer_id SET NOT NULL;`, t)
	}
	return b.String()
}
