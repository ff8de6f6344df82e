package dashboard

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// Role says what a user may see and do.
type Role string

// The roles. Managers see only their own units; managers and providers see
// aggregates only.
const (
	RoleAdmin    Role = "admin"    // everything, imports, users
	RoleHR       Role = "hr"       // all analytics
	RoleManager  Role = "manager"  // only their own departments, aggregates only
	RoleProvider Role = "provider" // intervention analytics, aggregates only
)

// Roles lists the roles.
var Roles = []Role{RoleAdmin, RoleHR, RoleManager, RoleProvider}

// User is a local account. The password is kept only as a bcrypt hash.
type User struct {
	Name         string   `json:"name"`
	PasswordHash string   `json:"password_hash"`
	Role         Role     `json:"role"`
	Departments  []string `json:"departments,omitempty"` // a manager's own units
	Lang         string   `json:"lang,omitempty"`        // "nl" or "en"
	// SessionGen is raised to end every session of the user (sessions.go).
	SessionGen int64 `json:"session_gen,omitempty"`
}

// Accounts keeps the users in a small JSON file beside the database (mode
// 0600): accounts are configuration, not absence data.
type Accounts struct {
	path  string
	mu    sync.Mutex
	users map[string]User

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

// OpenAccounts reads the users file; a missing file means no users yet.
func OpenAccounts(path string) (*Accounts, error) {
	users, err := readUsers(path)
	if err != nil {
		return nil, err
	}
	return &Accounts{path: path, users: users}, nil
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
	return len(a.users)
}

// Put adds or replaces a user with a new password.
func (a *Accounts) Put(name, password string, role Role, departments []string) error {
	if a.readOnly {
		return errReadOnlyAccounts
	}
	if name == "" {
		return errors.New("a user needs a name")
	}
	if !slices.Contains(Roles, role) {
		return fmt.Errorf("unknown role %q; roles: admin, hr, manager, provider", role)
	}
	if role == RoleManager && len(departments) == 0 {
		return errors.New("a manager needs at least one department")
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
	u := User{Name: name, PasswordHash: string(hash), Role: role, Departments: departments}
	if old, ok := a.users[name]; ok { // a new password or role ends the old sessions
		u.SessionGen = old.SessionGen + 1
	}
	a.users[name] = u
	return a.saveLocked()
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
	u, ok := a.users[name]
	return u, ok
}

// SetLang remembers a user's language.
func (a *Accounts) SetLang(name, lang string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
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
