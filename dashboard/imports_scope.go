package dashboard

import (
	"errors"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/ingest/storage"
)

// The imports an account manages: an employer's admin those of their own
// employer — its history, uploads that land under it whatever the form or
// URL names, and the undo of its imports; the installation admin every
// employer's, and the inbox.

const ctxImportsEmployer = "imports_employer"

// importsScope resolves the employer whose imports the request may see and
// make (importsEmployer). An employer's admin asking for another employer
// gets 403, as on every other route.
func (s *Server) importsScope(c *gin.Context) {
	u := c.MustGet(ctxUser).(User)
	if u.Access() == RoleInstallation {
		c.Next()
		return
	}
	sc, err := s.scopeOf(c, u)
	switch {
	case errors.Is(err, errForbidden) || err == nil && len(sc.employers) != 1:
		forbidden(c)
	case err != nil:
		s.serverError(c, err)
	default:
		c.Set(ctxImportsEmployer, sc.employers[0])
	}
}

// importsEmployer is the employer a request's imports are restricted to;
// false for the installation admin, who manages every employer's.
func importsEmployer(c *gin.Context) (storage.EmployerSummary, bool) {
	e, ok := c.Get(ctxImportsEmployer)
	if !ok {
		return storage.EmployerSummary{}, false
	}
	return e.(storage.EmployerSummary), true
}

// ownImport checks that import id is the request's employer's: another
// employer's import is as unknown to an employer's admin as a missing one
// (storage.ErrNoSuchImport), so its number reveals nothing.
func (s *Server) ownImport(c *gin.Context, id int64) error {
	e, restricted := importsEmployer(c)
	if !restricted {
		return nil
	}
	rec, err := s.store.ImportByID(c.Request.Context(), id)
	if err != nil && !errors.Is(err, storage.ErrNoImport) {
		return err
	}
	if err != nil || rec.EmployerID != e.ID {
		return fmt.Errorf("there is no import %d in the history: %w", id, storage.ErrNoSuchImport)
	}
	return nil
}

// uploadEmployer is the employer an upload is imported for: an employer's
// admin's own; for the installation admin the one named (named "" the
// default employer).
func uploadEmployer(c *gin.Context, named string) string {
	if e, ok := importsEmployer(c); ok {
		return e.Name
	}
	return named
}

// undoEmployer is the employer an undo may touch: an employer's admin's
// own, who cannot undo a file that also held other employers' rows
// (storage.UndoOptions.Employer); 0 for the installation admin.
func undoEmployer(c *gin.Context) int64 {
	e, _ := importsEmployer(c)
	return e.ID
}
