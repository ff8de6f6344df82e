package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/ingest"
	"github.com/verzuim/absence/ingest/storage"
)

// apiImport imports one uploaded file (multipart field "file"; optional
// "profile", a built-in profile name, "dry_run", "extract_date" and
// "allow_shrink"; ?employer=NAME imports for that employer; an employer's
// admin imports for their own employer only). It is how the import command
// reaches a database the running server owns: the store lets one import
// write at a time. A file that could not be imported answers 422 with the
// result, so the caller can print the reasons; one that would remove more
// of its source than allowed has errorType "shrink" and is imported only
// with allow_shrink=true.
func (s *Server) apiImport(c *gin.Context) {
	if !s.readForm(c) { // within the upload limit
		return
	}
	fh, err := c.FormFile("file")
	if err != nil {
		c.JSON(http.StatusBadRequest, apiError{Status: "error", ErrorType: "bad_data", Error: "send the file in the multipart field \"file\""})
		return
	}
	_, up, err := s.uploads.save(fh, c.PostForm("profile"))
	if err != nil {
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	defer s.uploads.discard(up)
	ch := importChoices{dryRun: c.PostForm("dry_run") == "true", allowShrink: c.PostForm("allow_shrink") == "true", employer: uploadEmployer(c, c.Query("employer"))}
	if d := c.PostForm("extract_date"); d != "" {
		if ch.extract, err = time.Parse("2006-01-02", d); err != nil {
			c.JSON(http.StatusBadRequest, apiError{Status: "error", ErrorType: "bad_data", Error: "extract_date must look like 2024-12-31"})
			return
		}
	}
	res, err := s.importUpload(c, up, ch)
	if res != nil {
		res.File = up.name // not the server's copy
	}
	if err != nil {
		reply := importReply{Status: "error", Error: strings.ReplaceAll(err.Error(), up.path, up.name), Data: res}
		if errors.Is(err, ingest.ErrShrink) {
			reply.ErrorType = "shrink"
		}
		c.JSON(http.StatusUnprocessableEntity, reply)
		return
	}
	c.JSON(http.StatusOK, importReply{Status: "success", Data: res})
}

type importReply struct {
	Status    string         `json:"status"`
	ErrorType string         `json:"errorType,omitempty"`
	Error     string         `json:"error,omitempty"`
	Data      *ingest.Result `json:"data"`
}

// apiUndo undoes import :id (POST /api/v1/imports/:id/undo). An import that
// cannot be undone answers 409 with the reason, e.g. the later imports of
// its source to undo first.
func (s *Server) apiUndo(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusNotFound, apiError{Status: "error", ErrorType: "not_found", Error: fmt.Sprintf("there is no import %q", c.Param("id"))})
		return
	}
	user := c.MustGet(ctxUser).(User)
	var res storage.UndoResult
	if err = s.ownImport(c, id); err == nil {
		res, err = s.store.Undo(c.Request.Context(), id, storage.UndoOptions{By: "api:" + user.Name, Employer: undoEmployer(c)})
	}
	switch {
	case errors.Is(err, storage.ErrNoSuchImport):
		c.JSON(http.StatusNotFound, apiError{Status: "error", ErrorType: "not_found", Error: err.Error()})
	case errors.Is(err, storage.ErrCannotUndo):
		c.JSON(http.StatusConflict, apiError{Status: "error", ErrorType: "conflict", Error: err.Error()})
	case err != nil:
		s.logError(c, err)
		c.JSON(http.StatusInternalServerError, apiError{Status: "error", ErrorType: "internal", Error: "the server failed; the error was logged"})
	default:
		c.JSON(http.StatusOK, apiResponse{Status: "success", Data: res})
	}
}
