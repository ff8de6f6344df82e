package dashboard

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/storage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config tunes the server.
type Config struct {
	// Analytics are the thresholds and settings of every figure shown.
	Analytics analytics.Options
	// UploadLimit caps an uploaded file (bytes). Default 100 MB.
	UploadLimit int64
	// DemoLogin, when set, is shown on the login page ("demo / demo").
	DemoLogin string
	// Importer imports uploads; nil means one with the default limits.
	Importer *ingest.Importer
	// Inbox, when set, is shown on the imports page and in the API.
	Inbox *inbox.Inbox
	// Sector is the benchmark key of the organisation's sector ("zorg",
	// "horeca", "financial", …; see analytics.Benchmarks), shown beside the
	// national rate.
	Sector string
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For names the real client. Default none: the client
	// is the address that connects.
	TrustedProxies []string
	// QuerySlots is how many figures the database computes at once; 0 means
	// DefaultQuerySlots.
	QuerySlots int
	// QueueTimeout is how long an API call or a download waits for its
	// figures before it is answered "busy, try again" (503 with
	// Retry-After); the figures go on being computed. 0 means
	// DefaultQueueTimeout.
	QueueTimeout time.Duration
	// WidgetTimeout is how long a page waits for its widgets before it
	// shows "being computed" in place of those not ready; 0 means
	// DefaultWidgetTimeout.
	WidgetTimeout time.Duration
	// SessionSecret signs the session cookies (sessions.go); the writer and
	// its replicas share it. Empty: a random one, so sessions last as long
	// as the process.
	SessionSecret []byte
	// WriterURL is, on a replica, the writer's address: a logout there is
	// passed on to the writer, which ends the user's sessions on every
	// server with its next publication.
	WriterURL string
}

// Server is the dashboard. It owns the database while it runs: DuckDB allows
// one process per file, so imports go through it (the upload page, the API).
type Server struct {
	store    *storage.Store
	importer *ingest.Importer
	accounts *Accounts
	sessions *sessions
	limiter  *loginLimiter
	slots    *querySlots
	cfg      Config
	pages    map[string]*template.Template // by language and name: "nl/overview"

	uploads *uploads
	metrics *metrics

	// base is the context of every computation: Close ends it.
	base  context.Context
	close context.CancelFunc
	warm  warming
	units unitsFile // what the departments file holds

	genMu      sync.Mutex
	current    *generation // the one requests are served from
	refreshing bool        // the next one is being computed
}

// New prepares a server for an open store and its accounts.
func New(store *storage.Store, accounts *Accounts, cfg Config) (*Server, error) {
	if cfg.UploadLimit <= 0 {
		cfg.UploadLimit = 100 << 20
	}
	if err := CheckTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	pages, err := parsedPages()
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, accounts: accounts, sessions: newSessions(cfg.SessionSecret), limiter: newLoginLimiter(),
		slots: newQuerySlots(cfg.QuerySlots, cfg.QueueTimeout), cfg: cfg, pages: pages, uploads: newUploads(store), importer: cfg.Importer}
	if s.importer == nil {
		s.importer = ingest.NewImporter(store, ingest.Config{})
	}
	s.metrics = newMetrics(s)
	s.base, s.close = context.WithCancel(context.Background())
	return s, nil
}

// parsedPages are the pages' templates, parsed once.
var parsedPages = sync.OnceValues(parsePages)

// parsePages makes one template set per page and language: the layout
// plus the page, its number functions writing that language's way.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		t, err := template.New("layout.html").Funcs(templateFuncs).Funcs(numberFuncs("nl")).ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		page := name[len("templates/page_") : len(name)-len(".html")]
		for lang := range messages {
			if pages[lang+"/"+page], err = t.Clone(); err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			pages[lang+"/"+page].Funcs(numberFuncs(lang))
		}
	}
	return pages, nil
}

// Handler is the whole HTTP interface.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.SetTrustedProxies(s.cfg.TrustedProxies) // checked by New; none: the client is who connects
	r.Use(s.limitBody(), recovery(), requestLog(), s.metrics.observe(), securityHeaders())
	s.routes(r)
	r.NoRoute(s.notFound)
	return r
}

// Close stops the figures being computed and the warming; requests
// waiting for a figure get an error. The store stays open.
func (s *Server) Close() { s.close() }

// CheckTrustedProxies reports an entry of a trusted_proxies list that is
// neither an IP address nor a CIDR range.
func CheckTrustedProxies(proxies []string) error {
	for _, p := range proxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return fmt.Errorf("trusted_proxies: %q is neither an IP address nor a CIDR range such as 10.0.0.0/8", p)
		}
	}
	return nil
}

// ListenAndServe serves until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	s.Warm()
	defer s.Close()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.Close() // the figures being computed are for nobody now
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	slog.Info("server stopped")
	return nil
}
