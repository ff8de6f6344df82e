package dashboard

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/ingest"
)

// apiImport imports one uploaded file (multipart field "file"; optional
// "profile", a built-in profile name, "dry_run" and "extract_date"). It is how the import
// command reaches a database the running server owns: the store lets one
// import write at a time. A file that could not be imported answers 422
// with the result, so the caller can print the reasons.
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
	dryRun := c.PostForm("dry_run") == "true"
	var extract time.Time
	if d := c.PostForm("extract_date"); d != "" {
		if extract, err = time.Parse("2006-01-02", d); err != nil {
			c.JSON(http.StatusBadRequest, apiError{Status: "error", ErrorType: "bad_data", Error: "extract_date must look like 2024-12-31"})
			return
		}
	}
	res, err := s.importUpload(c, up, dryRun, extract)
	if res != nil {
		res.File = up.name // not the server's copy
	}
	if err != nil {
		if !dryRun {
			if rerr := s.store.RecordFailure(c.Request.Context(), res, err); rerr != nil {
				s.logError(c, rerr)
			}
		}
		c.JSON(http.StatusUnprocessableEntity, importReply{Status: "error", Error: strings.ReplaceAll(err.Error(), up.path, up.name), Data: res})
		return
	}
	c.JSON(http.StatusOK, importReply{Status: "success", Data: res})
}

type importReply struct {
	Status string         `json:"status"`
	Error  string         `json:"error,omitempty"`
	Data   *ingest.Result `json:"data"`
}
