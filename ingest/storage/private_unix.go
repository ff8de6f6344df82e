//go:build unix

package storage

import "syscall"

// privateFiles makes every file this process creates from now on readable
// and writable by its owner only (umask 077). DuckDB creates the database
// file, its write-ahead log (anew after every checkpoint) and its spill files
// itself, with the mode the umask leaves, and they hold health data.
func privateFiles() { syscall.Umask(syscall.Umask(0o077) | 0o077) }
