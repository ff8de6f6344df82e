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

	"github.com/verzuim/absence/dashboard"
	"github.com/verzuim/absence/ingest"
)

func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	db := fs.String("db", defaultDB, "database file")
	addr := fs.String("addr", ":8080", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := ingest.Open(ctx, *db, ingest.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	return serve(ctx, store, *addr, dashboard.Config{})
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
