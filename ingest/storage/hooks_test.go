package storage

// ForgetLastPublication makes the next publication copy the database even
// when nothing was committed, for benchmarks of the copy.
func ForgetLastPublication(p *Publisher) { p.lastCommits = -1 }

// OpenSnapshots counts a replica's open snapshots.
func OpenSnapshots(s *Store) int64 { return s.replica.opened.Load() }
