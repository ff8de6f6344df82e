//go:build !unix

package storage

// privateFiles does nothing where files have no Unix mode; there the
// folder's access rights protect the database.
func privateFiles() {}
