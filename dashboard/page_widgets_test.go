package dashboard

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// A widget whose figures take longer than the page may wait shows "being
// computed" in its place, in the user's language, while the others render;
// its figure is still computed, and there on the next visit.
func TestSlowWidgetShowsAMessageWhileTheOthersRender(t *testing.T) {
	site := newTestSiteSized(t, 200)
	s := site.server
	if code, _ := getAs(t, site, "hr", "/trends"); code != http.StatusOK {
		t.Fatalf("/trends: %d", code) // the overview's trend is now cached, its tiles not
	}
	s.cfg.WidgetTimeout = 300 * time.Millisecond
	release := holdSlots(t, s)
	code, body := getAs(t, site, "hr", "/")
	release()
	if code != http.StatusOK {
		t.Fatalf("/: %d, want the page with a message: %.300s", code, body)
	}
	if !strings.Contains(body, `data-chart="trendZVP"`) {
		t.Error("the trend, whose figures were there, is not shown")
	}
	if strings.Contains(body, `id="tile-zvp_pct"`) || !strings.Contains(body, translate("nl", "widget_pending")) {
		t.Errorf("the tiles, still waiting for the database, are not replaced by the Dutch message: %.2000s", body)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, body = getAs(t, site, "hr", "/"); strings.Contains(body, `id="tile-zvp_pct"`) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Error("the tiles did not come once the database was free")
}
