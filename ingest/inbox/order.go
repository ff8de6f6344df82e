package inbox

import (
	"os"
	"sort"

	"github.com/verzuim/absence/ingest"
)

// inDependencyOrder orders the files of each folder as ingest.Plan orders
// the files of one import command: employments first (absence rows are
// checked against them), then absence, then interventions and milestones;
// name order within a kind. A vendor names its exports as it likes
// (absence_periods.csv sorts before employments.csv), so the kind comes
// from each file's profile, by its rule or its header. Each file is
// inspected here once, and imported from that inspection. A file still
// being written, or one that cannot be inspected, keeps its place at the
// end of its folder: its own import says what is wrong.
func (in *Inbox) inDependencyOrder(files []arrival) []arrival {
	type key struct{ folder, kind int }
	keys := make(map[string]key, len(files))
	folders := map[string]int{}
	for i := range files {
		a := &files[i]
		if _, seen := folders[a.dir]; !seen {
			folders[a.dir] = len(folders)
		}
		keys[a.path] = key{folders[a.dir], len(ingest.KindOrder)}
		if a.err != nil || !in.stable(a.path) {
			continue
		}
		profile, err := in.profileFor(a.path, a.employer)
		if err != nil {
			continue
		}
		if a.src, err = ingest.Inspect(a.path, profile, in.importer.Limits()); err != nil {
			a.src = nil
			continue
		}
		keys[a.path] = key{folders[a.dir], ingest.KindOrder[a.src.Profile.Kind]}
	}
	sort.SliceStable(files, func(i, j int) bool {
		a, b := keys[files[i].path], keys[files[j].path]
		return a.folder < b.folder || a.folder == b.folder && a.kind < b.kind
	})
	return files
}

// stable reports whether the file was last written long enough ago.
func (in *Inbox) stable(path string) bool {
	info, err := os.Stat(path)
	return err == nil && in.opt.Now().Sub(info.ModTime()) >= in.opt.StableFor
}
