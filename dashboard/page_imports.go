package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/ingest"
)

type importsData struct {
	Inbox    *ingest.InboxStatus
	NextRun  string
	History  []ingest.ImportRecord
	Profiles []*ingest.Profile
	Preview  *ingest.Result // after an upload: what an import would do
	Token    string         // commits the previewed upload
	Done     *ingest.Result // after a commit
	Failure  string
}

func (s *Server) importsPage(c *gin.Context, status int, d importsData) {
	history, err := s.store.Imports(c.Request.Context(), 100)
	if err != nil {
		s.serverError(c, err)
		return
	}
	d.History = history
	if in := s.cfg.Inbox; in != nil {
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
	s.render(c, status, p)
}

func (s *Server) showImports(c *gin.Context) { s.importsPage(c, http.StatusOK, importsData{}) }

// previewUpload saves the file and shows what importing it would do, without
// writing anything.
func (s *Server) previewUpload(c *gin.Context) {
	fh, err := c.FormFile("file") // the form was read by checkCSRF, within the upload limit
	if err != nil {
		s.importsPage(c, http.StatusBadRequest, importsData{Failure: "choose a file to upload"})
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
	res, err := s.importUpload(c, up, true, time.Time{})
	if err != nil {
		s.uploads.discard(up)
		s.importsPage(c, http.StatusUnprocessableEntity, importsData{Preview: res, Failure: err.Error()})
		return
	}
	s.importsPage(c, http.StatusOK, importsData{Preview: res, Token: id})
}

// commitUpload imports a previewed upload for real.
func (s *Server) commitUpload(c *gin.Context) {
	up, ok := s.uploads.take(c.PostForm("token"))
	if !ok {
		s.importsPage(c, http.StatusBadRequest, importsData{Failure: "this preview has expired; upload the file again"})
		return
	}
	defer s.uploads.discard(up)
	res, err := s.importUpload(c, up, false, time.Time{})
	if err != nil {
		if rerr := s.store.RecordFailure(c.Request.Context(), res, err); rerr != nil {
			s.serverError(c, rerr)
			return
		}
		s.importsPage(c, http.StatusUnprocessableEntity, importsData{Failure: err.Error()})
		return
	}
	s.importsPage(c, http.StatusOK, importsData{Done: res})
}

// importUpload runs one import. The store lets one import write at a time;
// the dashboard keeps answering meanwhile and sees the new data once it
// commits.
func (s *Server) importUpload(c *gin.Context, up upload, dryRun bool, extract time.Time) (*ingest.Result, error) {
	opt := ingest.ImportOptions{DryRun: dryRun, ExtractDate: extract}
	if up.profile != "" {
		p, err := ingest.LoadProfile(up.profile)
		if err != nil {
			return nil, err
		}
		opt.Profile = p
	}
	return s.store.ImportFile(c.Request.Context(), up.path, opt)
}

// downloadRejects sends an import's rejected rows as CSV.
func (s *Server) downloadRejects(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, badInput("no_import", c.Param("id")))
		return
	}
	rows, err := s.store.RejectedRows(c.Request.Context(), id)
	if errors.Is(err, ingest.ErrNoImport) {
		err = badInput("no_import", c.Param("id"))
	}
	if err != nil {
		s.refuse(c, http.StatusNotFound, err)
		return
	}
	s.sendCSV(c, fmt.Sprintf("import-%d-rejects", id), rows)
}
