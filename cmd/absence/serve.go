package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest"
)

func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	configPath := fs.String("config", "", "configuration file (default $ABSENCE_CONFIG)")
	db := fs.String("db", "", "database file (overrides the configuration)")
	addr := fs.String("addr", "", "address to listen on, e.g. :8080")
	inbox := fs.String("inbox", "", "folder to import exports from")
	schedule := fs.String("schedule", "", `when to run the inbox, cron syntax (e.g. "0 2 * * *")`)
	watch := fs.Bool("watch", false, "also import files as they arrive in the inbox")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	for flagValue, field := range map[*string]*string{db: &cfg.Database, addr: &cfg.Addr, inbox: &cfg.Inbox.Dir, schedule: &cfg.Inbox.Schedule} {
		if *flagValue != "" {
			*field = *flagValue
		}
	}
	cfg.Inbox.Watch = cfg.Inbox.Watch || *watch
	if err := cfg.check(); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	key, err := cfg.pseudonymKey()
	if err != nil {
		return err
	}
	store, err := ingest.Open(ctx, cfg.Database, cfg.storeOptions(key))
	if err != nil {
		return err
	}
	defer store.Close()
	dcfg := dashboard.Config{
		Analytics: analytics.Options{MinEmployees: cfg.Suppression.MinEmployees, MinCases: cfg.Suppression.MinCases,
			RelapseIndexDays: cfg.Outcomes.RelapseIndexDays},
		UploadLimit:    int64(cfg.UploadLimitMB) << 20,
		Sector:         cfg.Sector,
		TrustedProxies: cfg.TrustedProxies,
		QuerySlots:     cfg.Performance.QuerySlots,
		QueueTimeout:   time.Duration(cfg.Performance.QueueSeconds) * time.Second,
	}
	if cfg.Inbox.Dir != "" {
		opt := ingest.InboxOptions{Dir: cfg.Inbox.Dir, Rules: cfg.Inbox.Rules}
		if cfg.Webhook.URL != "" {
			opt.Notify = ingest.Webhook(cfg.Webhook.URL)
		}
		in, err := store.NewInbox(opt)
		if err != nil {
			return err
		}
		if err := in.Start(ctx, cfg.Inbox.Schedule, cfg.Inbox.Watch); err != nil {
			return err
		}
		dcfg.Inbox = in
		fmt.Printf("Inbox %s: schedule %s, watching %v.\n", cfg.Inbox.Dir, orNone(cfg.Inbox.Schedule), cfg.Inbox.Watch)
	}
	if cfg.Retention.Schedule != "" {
		if err := store.ScheduleRetention(ctx, cfg.Retention.Schedule, cfg.Retention.KeepYears); err != nil {
			return err
		}
		fmt.Printf("Retention: data is purged %d years after employment ends, on schedule %s.\n", cfg.Retention.KeepYears, cfg.Retention.Schedule)
	}
	return serve(ctx, store, cfg.Addr, dcfg)
}

// serve runs the dashboard over an open store until ctx ends. Without any
// account it creates an admin and prints its password once.
func serve(ctx context.Context, store *ingest.Store, addr string, cfg dashboard.Config) error {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel(slog.LevelInfo)})))
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(store.Path))
	if err != nil {
		return err
	}
	if accounts.Len() == 0 {
		password := dashboard.RandomPassword()
		if err := accounts.Put("admin", password, dashboard.RoleAdmin, nil); err != nil {
			return err
		}
		fmt.Printf("Created the first account: user admin, password %s (shown once; add users with 'absence user add').\n", password)
	}
	srv, err := dashboard.New(store, accounts, cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	ln.Close()
	host, port, _ := net.SplitHostPort(addr)
	if host == "" {
		host = "localhost"
	}
	fmt.Printf("Dashboard: http://%s:%s/  (Ctrl-C stops it)\n", host, port)
	return srv.ListenAndServe(ctx, addr)
}
