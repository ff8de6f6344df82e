package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/storage"
)

func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	settings := addConfigFlags(fs)
	addr := fs.String("addr", "", "address to listen on, e.g. :8080")
	inboxDir := fs.String("inbox", "", "folder to import exports from")
	schedule := fs.String("schedule", "", `when to run the inbox, cron syntax (e.g. "0 2 * * *")`)
	watch := fs.Bool("watch", false, "also import files as they arrive in the inbox")
	publish := fs.String("publish", "", "after every import publish a read-only snapshot into this folder, for replicas (config publish_dir)")
	replica := fs.String("replica", "", "serve, read-only, the newest snapshot a writer publishes in this folder")
	writer := fs.String("writer", "", "with --replica: the writer's address, to pass logouts on to it (config writer_url)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := settings.load()
	if err != nil {
		return err
	}
	for flagValue, field := range map[*string]*string{addr: &cfg.Addr, inboxDir: &cfg.Inbox.Dir, schedule: &cfg.Inbox.Schedule, publish: &cfg.PublishDir, writer: &cfg.WriterURL} {
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
	if *replica != "" {
		return serveReplica(ctx, cfg, *replica)
	}
	store, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer store.Close()
	dcfg := cfg.dashboardConfig(store)
	var al *alerter
	if len(cfg.Alerts) > 0 {
		if al, err = newAlerter(cfg, store); err != nil {
			return err
		}
	}
	if cfg.Inbox.Dir != "" {
		opt := inbox.Options{Dir: cfg.Inbox.Dir, Rules: cfg.Inbox.Rules}
		if cfg.Webhook.URL != "" {
			opt.Notify = inbox.Webhook(cfg.Webhook.URL)
		}
		if al != nil && al.tellsImports() { // a failed import is an alert, sent once; the rest as before
			opt.Notify = al.importNotifier(opt.Notify)
		}
		in, err := inbox.New(dcfg.Importer, opt)
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
		if err := inbox.ScheduleRetention(ctx, store, cfg.Retention.Schedule, cfg.Retention.KeepYears); err != nil {
			return err
		}
		fmt.Printf("Retention: data is purged %d years after employment ends, on schedule %s.\n", cfg.Retention.KeepYears, cfg.Retention.Schedule)
	}
	accounts, err := writerAccounts(store)
	if err != nil {
		return err
	}
	if cfg.PublishDir != "" {
		pub, err := store.Publisher(cfg.PublishDir, cfg.PublishKeep, map[string]string{storage.SnapshotAccounts: dashboard.AccountsPath(store.Path)})
		if err != nil {
			return err
		}
		accounts.OnChange = pub.Poke
		go pub.Run(ctx)
		fmt.Printf("Publishing a snapshot for replicas into %s after every import.\n", cfg.PublishDir)
	}
	return listen(ctx, store, accounts, cfg.Addr, dcfg, func(srv *dashboard.Server) error {
		return scheduleDeliveries(ctx, cfg, srv, al)
	})
}

// serveReplica serves the newest snapshot a writer publishes in dir,
// read-only, with the writer's accounts; it imports nothing.
func serveReplica(ctx context.Context, cfg config, dir string) error {
	if cfg.Inbox.Dir != "" || cfg.Retention.Schedule != "" || cfg.PublishDir != "" {
		fmt.Println("Replica: the inbox, the retention schedule and publishing are the writer's; they do not run here.")
	}
	accounts := dashboard.ReplicaAccounts()
	opt := storage.ReplicaOptions{MemoryLimit: cfg.Performance.MemoryLimit, Threads: cfg.Performance.Threads,
		Prepare: func(snapshot string) error { return accounts.Load(filepath.Join(snapshot, storage.SnapshotAccounts)) }}
	store, err := storage.OpenReplica(ctx, dir, opt)
	for errors.Is(err, storage.ErrNoSnapshot) { // a replica may start before its writer
		fmt.Printf("Replica: waiting for the writer's first snapshot in %s …\n", dir)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Second):
		}
		store, err = storage.OpenReplica(ctx, dir, opt)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Printf("Replica of %s: serving snapshot %d, read-only.\n", dir, store.Snapshot())
	dcfg := cfg.dashboardConfig(store)
	dcfg.WriterURL = cfg.WriterURL
	return listen(ctx, store, accounts, cfg.Addr, dcfg)
}

// dashboardConfig is how the dashboard applies the configuration: the
// same thresholds as the reports (analyticsOptions), the same importer as
// the import command.
func (c config) dashboardConfig(store *storage.Store) dashboard.Config {
	return dashboard.Config{
		Analytics:      c.analyticsOptions(),
		Importer:       c.importer(store),
		UploadLimit:    int64(c.UploadLimitMB) << 20,
		Sector:         c.Sector,
		TrustedProxies: c.TrustedProxies,
		QuerySlots:     c.Performance.QuerySlots,
		QueueTimeout:   time.Duration(c.Performance.QueueSeconds) * time.Second,
		SessionSecret:  []byte(c.SessionSecret),
	}
}

// serve runs the dashboard over an open store until ctx ends.
func serve(ctx context.Context, store *storage.Store, addr string, cfg dashboard.Config) error {
	accounts, err := writerAccounts(store)
	if err != nil {
		return err
	}
	return listen(ctx, store, accounts, addr, cfg)
}

// writerAccounts are the accounts beside the database. Without any it
// creates an admin and prints its password once.
func writerAccounts(store *storage.Store) (*dashboard.Accounts, error) {
	accounts, err := dashboard.OpenAccounts(dashboard.AccountsPath(store.Path))
	if err != nil {
		return nil, err
	}
	if accounts.Len() == 0 {
		password := dashboard.RandomPassword()
		if err := accounts.Put("admin", password, dashboard.RoleAdmin, nil); err != nil {
			return nil, err
		}
		fmt.Printf("Created the first account: user admin, password %s (shown once; add users with 'absence user add').\n", password)
	}
	return accounts, nil
}

// listen serves the dashboard until ctx ends, after starting what needs
// the server (the scheduled report packs).
func listen(ctx context.Context, store *storage.Store, accounts *dashboard.Accounts, addr string, cfg dashboard.Config, start ...func(*dashboard.Server) error) error {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel(slog.LevelInfo)})))
	srv, err := dashboard.New(store, accounts, cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	ln.Close()
	for _, f := range start {
		if err := f(srv); err != nil {
			return err
		}
	}
	host, port, _ := net.SplitHostPort(addr)
	if host == "" {
		host = "localhost"
	}
	fmt.Printf("Dashboard: http://%s:%s/  (Ctrl-C stops it)\n", host, port)
	return srv.ListenAndServe(ctx, addr)
}
