package dashboard

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/storage"
)

type importsData struct {
	Inbox    *inbox.Status
	NextRun  string
	History  []storage.ImportRecord
	Profiles []*ingest.Profile
	Preview  *ingest.Result // after an upload: what an import would do
	Token    string         // commits the previewed upload
	// Shrink is set when the previewed upload would remove more of its
	// source than an import may unconfirmed: the page asks to confirm.
	Shrink *ingest.ShrinkError
	Done   *ingest.Result // after a commit
	// Employers: the history names each import's employer (the
	// installation admin's, who sees every employer's).
	Employers bool
	Failure   string
	// UndoPreview asks to confirm an undo; Undone reports one.
	UndoPreview *storage.UndoResult
	Undone      *storage.UndoResult
}

func (s *Server) importsPage(c *gin.Context, status int, d importsData) {
	own, restricted := importsEmployer(c)
	history, err := s.store.EmployerImports(c.Request.Context(), own.ID, 100)
	if err != nil {
		s.serverError(c, err)
		return
	}
	d.History, d.Employers = history, !restricted
	if in := s.cfg.Inbox; in != nil && !restricted { // every employer's folders
		st := in.Status()
		d.Inbox = &st
		if next := in.NextRun(); !next.IsZero() {
			d.NextRun = next.Format("2006-01-02 15:04")
		}
	}
	if d.Profiles, err = ingest.BuiltinProfiles(); err != nil {
		s.serverError(c, err)
		return
	}
	p := s.newPage(c, "imports")
	p.Data = d
	if sc, err := s.scopeOf(c, p.User); err == nil {
		fresh := sc.freshness()
		p.Fresh = &fresh
	} else {
		s.logError(c, fmt.Errorf("the freshness of the imports page: %w", err))
	}
	s.render(c, status, p)
}

func (s *Server) showImports(c *gin.Context) { s.importsPage(c, http.StatusOK, importsData{}) }

// previewUpload saves the file and shows what importing it would do, without
// writing anything.
func (s *Server) previewUpload(c *gin.Context) {
	fh, err := c.FormFile("file") // the form was read by checkCSRF, within the upload limit
	if err != nil {
		s.importsPage(c, http.StatusBadRequest, importsData{Failure: translate(langOf(c), "choose_file")})
		return
	}
	id, up, err := s.uploads.save(fh, c.PostForm("profile"))
	var bad inputError
	if errors.As(err, &bad) {
		s.importsPage(c, http.StatusBadRequest, importsData{Failure: bad.in(langOf(c))})
		return
	}
	if err != nil {
		s.serverError(c, err)
		return
	}
	res, err := s.importUpload(c, up, importChoices{dryRun: true, employer: uploadEmployer(c, "")})
	var shrink *ingest.ShrinkError
	if errors.As(err, &shrink) {
		// Not refused yet: an admin who checked the file may confirm it.
		s.importsPage(c, http.StatusOK, importsData{Preview: res, Token: id, Shrink: shrink})
		return
	}
	if err != nil {
		s.uploads.discard(up)
		s.importsPage(c, http.StatusUnprocessableEntity, importsData{Preview: res, Failure: importFailure(langOf(c), err, up)})
		return
	}
	s.importsPage(c, http.StatusOK, importsData{Preview: res, Token: id})
}

// commitUpload imports a previewed upload for real.
func (s *Server) commitUpload(c *gin.Context) {
	up, ok := s.uploads.take(c.PostForm("token"))
	if !ok {
		s.importsPage(c, http.StatusBadRequest, importsData{Failure: translate(langOf(c), "preview_expired")})
		return
	}
	defer s.uploads.discard(up)
	res, err := s.importUpload(c, up, importChoices{allowShrink: c.PostForm("allow_shrink") == "1", employer: uploadEmployer(c, "")})
	if err != nil {
		s.importsPage(c, http.StatusUnprocessableEntity, importsData{Failure: importFailure(langOf(c), err, up)})
		return
	}
	s.importsPage(c, http.StatusOK, importsData{Done: res})
}

// importChoices are what the person importing chose.
type importChoices struct {
	dryRun, allowShrink bool
	extract             time.Time
	employer            string // "" the default employer
}

// importUpload runs one import, which records its outcome in the history.
// The store lets one import write at a time; the dashboard keeps answering
// meanwhile and sees the new data once it commits.
func (s *Server) importUpload(c *gin.Context, up upload, ch importChoices) (*ingest.Result, error) {
	opt := ingest.ImportOptions{DryRun: ch.dryRun, ExtractDate: ch.extract, AllowShrink: ch.allowShrink, Employer: ch.employer}
	if up.profile != "" {
		p, err := ingest.BuiltinProfile(up.profile)
		if err != nil {
			return nil, err
		}
		opt.Profile = p
	}
	return s.importer.ImportFile(c.Request.Context(), up.path, opt)
}

// confirmUndo shows what undoing an import would do and asks to confirm it.
func (s *Server) confirmUndo(c *gin.Context) {
	s.undo(c, true)
}

// undoImport undoes an import (a confirmed form post).
func (s *Server) undoImport(c *gin.Context) {
	s.undo(c, false)
}

func (s *Server) undo(c *gin.Context, dryRun bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.importsPage(c, http.StatusNotFound, importsData{Failure: badInput("no_import", c.Param("id")).in(langOf(c))})
		return
	}
	user := c.MustGet(ctxUser).(User)
	var res storage.UndoResult
	if err = s.ownImport(c, id); err == nil {
		res, err = s.store.Undo(c.Request.Context(), id, storage.UndoOptions{DryRun: dryRun, By: "web:" + user.Name, Employer: undoEmployer(c)})
	}
	switch {
	case errors.Is(err, storage.ErrNoSuchImport):
		s.importsPage(c, http.StatusNotFound, importsData{Failure: badInput("no_import", id).in(langOf(c))})
	case errors.Is(err, storage.ErrCannotUndo):
		s.importsPage(c, http.StatusConflict, importsData{Failure: s.newPage(c, "imports").T("cannot_undo") + " " + err.Error()})
	case err != nil:
		s.serverError(c, err)
	case dryRun:
		s.importsPage(c, http.StatusOK, importsData{UndoPreview: &res})
	default:
		slog.Info("import undone", "import", id, "undo", res.UndoID, "by", user.Name)
		s.importsPage(c, http.StatusOK, importsData{Undone: &res})
	}
}
