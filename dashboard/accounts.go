package dashboard

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Role says what a user may see and do.
type Role string

// The roles. An admin, HR person or manager belongs to one employer (the
// default employer when the account names none); managers see only their
// own units. Provider staff see the employers they serve, only their own
// organisation's interventions, and aggregates only. An admin of no
// employer is the installation admin.
const (
	RoleAdmin    Role = "admin"    // all of their employer's analytics; of no employer: the installation admin
	RoleHR       Role = "hr"       // all of their employer's analytics
	RoleManager  Role = "manager"  // only their own departments, aggregates only
	RoleProvider Role = "provider" // their clients' intervention analytics, aggregates only
	// RoleInstallation is the installation admin: every employer,
	// imports and accounts. It is never stored: it is what an admin
	// without an employer is (User.Access), so a users file from before
	// employers keeps its admin as the installation admin.
	RoleInstallation Role = "installation"
)

// Roles lists the roles an account is given.
var Roles = []Role{RoleAdmin, RoleHR, RoleManager, RoleProvider}

// User is a local account. The password is kept only as a bcrypt hash.
type User struct {
	Name         string   `json:"name"`
	PasswordHash string   `json:"password_hash"`
	Role         Role     `json:"role"`
	Departments  []string `json:"departments,omitempty"` // a manager's own units
	// Employer is the employer of an admin, HR person or manager, by
	// name; empty is the default employer, or for an admin the whole
	// installation.
	Employer string `json:"employer,omitempty"`
	// Provider is provider staff's organisation, as in the interventions'
	// provider column; Employers the employers they serve (none: every
	// employer of the installation).
	Provider  string   `json:"provider,omitempty"`
	Employers []string `json:"employers,omitempty"`
	Lang      string   `json:"lang,omitempty"` // "nl" or "en"
	// SessionGen is raised to end every session of the user (sessions.go).
	SessionGen int64 `json:"session_gen,omitempty"`
}

// Accounts keeps the users in a small JSON file beside the database (mode
// 0600): accounts are configuration, not absence data. 'absence user'
// writes the file while the server runs; the server rereads it whenever its
// modification time or size changed, before every use, so a user added,
// changed or removed takes effect without a restart (a stat per request is
// microseconds; a watcher would add a goroutine and miss nothing more).
type Accounts struct {
	path  string
	mu    sync.Mutex
	users map[string]User
	read  fileStamp // of the file the users were read from

	// OnChange, when set, is told after every change is saved (the writer
	// publishes the accounts with the data).
	OnChange func()
	// readOnly accounts are a replica's: read from the writer's
	// publication, changed only in memory (a language switch lasts until
	// the next publication), never saved.
	readOnly bool
}

// AccountsPath is the users file that belongs to a database file.
func AccountsPath(dbPath string) string { return dbPath + ".users.json" }

// fileStamp tells one version of the users file from another.
type fileStamp struct {
	mod  time.Time
	size int64
}

func stampOf(path string) fileStamp {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{info.ModTime(), info.Size()}
}

// OpenAccounts reads the users file; a missing file means no users yet.
func OpenAccounts(path string) (*Accounts, error) {
	stamp := stampOf(path)
	users, err := readUsers(path)
	if err != nil {
		return nil, err
	}
	return &Accounts{path: path, users: users, read: stamp}, nil
}

// refreshLocked rereads the users file when another process changed it. A
// file that cannot be read keeps the users as they were (and says so in
// the log), so a half-edited file locks nobody out.
func (a *Accounts) refreshLocked() {
	if a.readOnly || a.path == "" {
		return
	}
	stamp := stampOf(a.path)
	if stamp == a.read {
		return
	}
	users, err := readUsers(a.path)
	if err != nil {
		slog.Error("users file changed but cannot be read; the accounts stay as they were", "file", a.path, "error", err)
		return
	}
	a.users, a.read = users, stamp
	slog.Info("users file reread", "file", a.path, "users", len(users))
	if a.OnChange != nil {
		a.OnChange()
	}
}

// ReplicaAccounts are the accounts a replica serves: none until Load
// reads a publication's users file.
func ReplicaAccounts() *Accounts { return &Accounts{users: map[string]User{}, readOnly: true} }

// Load replaces a replica's accounts with those of the users file at path.
func (a *Accounts) Load(path string) error {
	users, err := readUsers(path)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.users = users
	return nil
}

func readUsers(path string) (map[string]User, error) {
	users := map[string]User{}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return users, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	var list []User
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("users file %s is damaged: %w", path, err)
	}
	for _, u := range list {
		users[u.Name] = u
	}
	return users, nil
}

// Len is the number of users.
func (a *Accounts) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	return len(a.users)
}

// Access is the role the user acts in: their role, or RoleInstallation
// for an admin of no employer.
func (u User) Access() Role {
	if u.Role == RoleAdmin && u.Employer == "" {
		return RoleInstallation
	}
	return u.Role
}

// Put adds or replaces a user of the default employer (or, as an admin,
// the installation admin) with a new password.
func (a *Accounts) Put(name, password string, role Role, departments []string) error {
	return a.PutUser(User{Name: name, Role: role, Departments: departments}, password)
}

// PutUser adds or replaces user u (name, role and scope) with a new
// password. That the employers and departments exist is for the caller to
// check: the accounts know nothing of the data.
func (a *Accounts) PutUser(u User, password string) error {
	if a.readOnly {
		return errReadOnlyAccounts
	}
	if err := u.check(); err != nil {
		return err
	}
	if len(password) < 8 && password != "demo" {
		return errors.New("a password needs at least 8 characters")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	u.PasswordHash, u.SessionGen, u.Lang = string(hash), 0, ""
	if old, ok := a.users[u.Name]; ok { // a new password or role ends the old sessions
		u.SessionGen, u.Lang = old.SessionGen+1, old.Lang
	}
	a.users[u.Name] = u
	return a.saveLocked()
}

// Remove deletes a user; their sessions end with the account.
func (a *Accounts) Remove(name string) error {
	if a.readOnly {
		return errReadOnlyAccounts
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	if _, ok := a.users[name]; !ok {
		return fmt.Errorf("no user %q", name)
	}
	delete(a.users, name)
	return a.saveLocked()
}

// check refuses an account whose role and scope do not go together.
func (u User) check() error {
	switch {
	case u.Name == "":
		return errors.New("a user needs a name")
	case !slices.Contains(Roles, u.Role):
		return fmt.Errorf("unknown role %q; roles: admin, hr, manager, provider", u.Role)
	case u.Role == RoleManager && len(u.Departments) == 0:
		return errors.New("a manager needs at least one department")
	case u.Role != RoleManager && len(u.Departments) > 0:
		return errors.New("only a manager is given departments")
	case u.Role == RoleProvider && u.Provider == "":
		return errors.New("provider staff need their organisation (--provider ORG, as in the interventions' provider column)")
	case u.Role == RoleProvider && u.Employer != "":
		return errors.New("provider staff serve employers (--employers A,B), they belong to none")
	case u.Role != RoleProvider && (u.Provider != "" || len(u.Employers) > 0):
		return errors.New("only provider staff are given a provider and the employers they serve")
	}
	return nil
}

var errReadOnlyAccounts = errors.New("a replica's accounts come from the writer: add and change users there (absence user add)")

// EndSessions ends every session of a user by raising their session
// number; on a replica it does nothing (the writer's number is published).
func (a *Accounts) EndSessions(name string) error {
	if a.readOnly {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	u, ok := a.users[name]
	if !ok {
		return fmt.Errorf("no user %q", name)
	}
	u.SessionGen++
	a.users[name] = u
	return a.saveLocked()
}

// Check returns the user if the password is right.
func (a *Accounts) Check(name, password string) (User, bool) {
	a.mu.Lock()
	a.refreshLocked()
	u, ok := a.users[name]
	a.mu.Unlock()
	if !ok {
		// Spend the same time as a real check, so timing does not tell which
		// user names exist.
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return User{}, false
	}
	return u, bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
}

// User returns a user by name.
func (a *Accounts) User(name string) (User, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	u, ok := a.users[name]
	return u, ok
}

// SetLang remembers a user's language.
func (a *Accounts) SetLang(name, lang string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	u, ok := a.users[name]
	if !ok {
		return fmt.Errorf("no user %q", name)
	}
	u.Lang = lang
	a.users[name] = u
	return a.saveLocked()
}

func (a *Accounts) saveLocked() error {
	if a.readOnly {
		return nil
	}
	list := make([]User, 0, len(a.users))
	for _, u := range a.users {
		list = append(list, u)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	tmp := a.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("write users: %w", err)
	}
	if err := os.Rename(tmp, a.path); err != nil {
		return err
	}
	a.read = stampOf(a.path)
	if a.OnChange != nil {
		a.OnChange()
	}
	return nil
}

var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte(RandomPassword()), bcrypt.DefaultCost)
	return h
})

// RandomPassword makes a password for a first admin account.
func RandomPassword() string {
	b := make([]byte, 9)
	rand.Read(b)
	return hex.EncodeToString(b)
}
