package inbox

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/go-co-op/gocron/v2"

	"github.com/verzuim/absence/ingest/storage"
)

// Start runs the inbox on a cron schedule (e.g. "0 2 * * *" for 02:00 every
// night) and, with watch, also shortly after files arrive. Runs never
// overlap. It returns at once; the runs stop when ctx ends.
func (in *Inbox) Start(ctx context.Context, schedule string, watch bool) error {
	s, err := gocron.NewScheduler()
	if err != nil {
		return err
	}
	if schedule != "" {
		_, err = s.NewJob(gocron.CronJob(schedule, false),
			gocron.NewTask(func() { in.Run(ctx) }),
			gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithName("inbox"))
		if err != nil {
			return fmt.Errorf("inbox schedule %q: %w", schedule, err)
		}
	}
	var w *fsnotify.Watcher
	if watch {
		if w, err = fsnotify.NewWatcher(); err != nil {
			return fmt.Errorf("watch inbox: %w", err)
		}
		if err := w.Add(in.opt.Dir); err != nil {
			w.Close()
			return fmt.Errorf("watch inbox %s: %w", in.opt.Dir, err)
		}
		go in.watch(ctx, w)
	}
	s.Start()
	in.mu.Lock()
	in.scheduler = s
	in.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.Shutdown()
		if w != nil {
			w.Close()
		}
	}()
	return nil
}

// NextRun is when the schedule runs the inbox next (zero without schedule).
func (in *Inbox) NextRun() time.Time {
	in.mu.Lock()
	s := in.scheduler
	in.mu.Unlock()
	if s == nil {
		return time.Time{}
	}
	for _, j := range s.Jobs() {
		if t, err := j.NextRun(); err == nil {
			return t
		}
	}
	return time.Time{}
}

// watch runs the inbox once writing has been quiet for a while: a large copy
// gives one create and many writes, and fsnotify cannot tell when it ends.
// Files still being written wait, so a run that found some arms the timer
// again.
func (in *Inbox) watch(ctx context.Context, w *fsnotify.Watcher) {
	quiet := in.opt.StableFor + 500*time.Millisecond
	var timer *time.Timer
	var mu sync.Mutex
	arm := func() {
		mu.Lock()
		defer mu.Unlock()
		if timer != nil {
			timer.Stop()
		}
		timer = time.AfterFunc(quiet, func() {
			events, _ := in.Run(ctx)
			for _, ev := range events {
				if ev.Outcome == "waiting" {
					mu.Lock()
					timer.Reset(quiet)
					mu.Unlock()
					return
				}
			}
		})
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) || ev.Has(fsnotify.Rename) {
				arm()
			}
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			slog.Error("watch inbox", "dir", in.opt.Dir, "error", err)
		}
	}
}

// ScheduleRetention runs the store's Purge on a cron schedule (e.g.
// "0 3 * * 0", Sunday 03:00) with the retention period of keepYears, until
// ctx ends: the only place besides 'absence purge' where retention runs.
// Each purge is logged in the ledger like any other.
func ScheduleRetention(ctx context.Context, s *storage.Store, schedule string, keepYears int) error {
	sched, err := gocron.NewScheduler()
	if err != nil {
		return err
	}
	_, err = sched.NewJob(gocron.CronJob(schedule, false), gocron.NewTask(func() {
		res, err := s.Purge(ctx, storage.PurgeOptions{KeepYears: keepYears, By: "schedule"})
		if err != nil {
			slog.Error("scheduled purge", "error", err)
			return
		}
		slog.Info("scheduled purge", "result", res.String())
	}), gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithName("retention"))
	if err != nil {
		return fmt.Errorf("retention schedule %q: %w", schedule, err)
	}
	sched.Start()
	go func() {
		<-ctx.Done()
		sched.Shutdown()
	}()
	return nil
}
