// Package inbox runs imports and purges unattended. An inbox is a folder
// that a payroll system drops exports into. Each run imports what has
// arrived, in name order, and moves every file out of the way once its
// import has committed: to archive/YYYY/MM/ when it landed (or was a
// duplicate), to failed/ when the file itself is at fault, with its reasons
// beside it. A file is never changed or deleted. When the machine is at
// fault (disk full, database error) the file stays and the next run tries
// again; a run killed at any moment leaves the file where the next run finds
// it, and the ledger recognises it if it had committed.
//
// A provider's inbox has a folder per client employer, named as the
// employer (inbox/NAME/, case ignored), with its own archive/ and failed/;
// its files are imported for that employer, with its rules (Rule.Employer)
// before the common ones. Files directly in the inbox go to the default
// employer. A folder that names no employer is reported on every run and
// its files wait until the employer is added.
//
// Runs come on a cron schedule (gocron) and, when watching (fsnotify),
// shortly after files arrive; failed runs can be posted to a webhook. The
// retention purge runs on its own schedule (ScheduleRetention).
//
// Arrows: inbox → ingest → storage; neither imports the inbox.
package inbox
