package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/notify"
)

// alertPoll is how often the server looks whether an import landed, to
// evaluate the alerts after it.
const alertPoll = time.Minute

// scheduleDeliveries runs the [[pack]] schedules and the alerts (daily at
// 07:00 and after every import) on the server's scheduler until ctx ends.
func scheduleDeliveries(ctx context.Context, cfg config, srv *dashboard.Server, al *alerter) error {
	if len(cfg.Packs) == 0 && al == nil {
		return nil
	}
	sched, err := gocron.NewScheduler()
	if err != nil {
		return err
	}
	mail, err := cfg.mailer()
	if err != nil {
		return err
	}
	for _, p := range cfg.Packs {
		cron, _ := p.cron() // checked with the configuration
		_, err := sched.NewJob(gocron.CronJob(cron, false), gocron.NewTask(func() {
			if err := p.run(ctx, srv, mail, time.Now()); err != nil {
				slog.Error("scheduled report pack", "employer", p.Employer, "error", err)
			}
		}), gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithName("pack"))
		if err != nil {
			return fmt.Errorf("pack schedule %q: %w", p.Schedule, err)
		}
		fmt.Printf("Report pack: %s, schedule %s.\n", orNone(p.Employer), p.Schedule)
	}
	if al != nil {
		evaluate := func() {
			if err := al.Evaluate(ctx); err != nil {
				slog.Error("alerts", "error", err)
			}
		}
		if _, err := sched.NewJob(gocron.CronJob("0 7 * * *", false), gocron.NewTask(evaluate),
			gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithName("alerts")); err != nil {
			return err
		}
		commits := int64(-1) // evaluate once at the start
		if _, err := sched.NewJob(gocron.DurationJob(alertPoll), gocron.NewTask(func() {
			if c := al.store.Commits(); c != commits {
				commits = c
				evaluate()
			}
		}), gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithName("alerts after import"),
			gocron.WithStartAt(gocron.WithStartImmediately())); err != nil {
			return err
		}
		fmt.Println("Alerts: evaluated daily at 07:00 and after every import.")
	}
	sched.Start()
	go func() {
		<-ctx.Done()
		sched.Shutdown()
	}()
	return nil
}

// run makes the pack of the month before now and delivers it.
func (p packSchedule) run(ctx context.Context, srv *dashboard.Server, mail notify.SMTP, now time.Time) error {
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	name := "verzuimrapportage"
	for _, part := range []string{p.Employer, p.Department} {
		if part != "" {
			name += "-" + fileSafe(part)
		}
	}
	name += "-" + month.Format("2006-01")
	var files []notify.Attachment
	for _, f := range p.formats() {
		b, err := srv.Pack(ctx, dashboard.PackRequest{Month: month, Employer: p.Employer, Department: p.Department, Format: f, Lang: p.Lang})
		if err != nil {
			return err
		}
		file := notify.Attachment{Name: name + "." + f, Data: b}
		files = append(files, file)
		if p.Folder != "" {
			if err := os.WriteFile(filepath.Join(p.Folder, file.Name), b, 0o600); err != nil {
				return fmt.Errorf("report pack: %w", err)
			}
		}
	}
	if len(p.Mail) == 0 {
		return nil
	}
	who := p.Employer
	if p.Department != "" {
		who = strings.TrimPrefix(who+", "+p.Department, ", ")
	}
	subject := "Verzuimrapportage " + month.Format("2006-01")
	if who != "" {
		subject += " – " + who
	}
	text := fmt.Sprintf("Bijgaand de verzuimrapportage over %s%s.\n\nDeze e-mail is automatisch verstuurd door absence.\n", month.Format("2006-01"), strings.TrimSuffix(" van "+who, " van "))
	return mail.Send(ctx, p.Mail, subject, text, files...)
}

// fileSafe makes a name usable in a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, s)
}
