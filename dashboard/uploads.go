package dashboard

import (
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// uploads holds uploaded files between the dry-run preview and the commit.
// Nothing reaches the database before the user has seen the preview.
type uploads struct {
	dir   string
	mu    sync.Mutex
	files map[string]upload
}

type upload struct {
	path, name, profile string
	expires             time.Time
}

const uploadTTL = time.Hour

func newUploads(store *storage.Store) *uploads {
	dir := store.Path + ".uploads"
	if store.Path == "" {
		dir = filepath.Join(os.TempDir(), "absence-uploads")
	}
	os.RemoveAll(dir) // previews do not survive a restart
	return &uploads{dir: dir, files: map[string]upload{}}
}

// save keeps an uploaded file under a fresh token, under its own name so
// the import report names the file the user chose.
func (u *uploads) save(fh *multipart.FileHeader, profile string) (string, upload, error) {
	name := filepath.Base(fh.Filename)
	if name == "." || name == ".." || name == "/" || strings.ContainsFunc(name, unicode.IsControl) {
		return "", upload{}, badInput("bad_upload_name", fh.Filename)
	}
	if profile != "" {
		if _, err := ingest.BuiltinProfile(profile); err != nil {
			return "", upload{}, badInput("unknown_upload_profile", profile, strings.Join(builtinProfileNames(), ", "))
		}
	}
	id := token()
	dir := filepath.Join(u.dir, id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", upload{}, err
	}
	src, err := fh.Open()
	if err != nil {
		return "", upload{}, err
	}
	defer src.Close()
	path := filepath.Join(dir, name)
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return "", upload{}, err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return "", upload{}, fmt.Errorf("save upload: %w", err)
	}
	if err := dst.Close(); err != nil {
		return "", upload{}, err
	}
	up := upload{path: path, name: name, profile: profile, expires: time.Now().Add(uploadTTL)}
	u.mu.Lock()
	defer u.mu.Unlock()
	for k, old := range u.files {
		if time.Now().After(old.expires) {
			os.RemoveAll(filepath.Dir(old.path))
			delete(u.files, k)
		}
	}
	u.files[id] = up
	return id, up, nil
}

// take hands out an upload once, for its commit.
func (u *uploads) take(id string) (upload, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	up, ok := u.files[id]
	delete(u.files, id)
	return up, ok && time.Now().Before(up.expires)
}

func (u *uploads) discard(up upload) { os.RemoveAll(filepath.Dir(up.path)) }

// builtinProfileNames are the profiles an upload may name.
func builtinProfileNames() []string {
	profiles, _ := ingest.BuiltinProfiles() // embedded: cannot fail once the binary built
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.Name
	}
	return names
}
