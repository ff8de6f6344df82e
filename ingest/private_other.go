//go:build !unix

package ingest

// privateFiles does nothing where files have no Unix mode; there the
// folder's access rights protect the database.
func privateFiles() {}
