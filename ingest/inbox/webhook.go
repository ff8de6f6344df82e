package inbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Webhook returns an inbox notifier that posts each failed or empty import
// as JSON to url, so an unattended nightly import never fails silently.
// Delivery is best effort: a failed post is logged, not retried.
func Webhook(url string) func(Event) {
	client := &http.Client{Timeout: 10 * time.Second}
	return func(ev Event) {
		body, _ := json.Marshal(struct {
			Text string `json:"text"`
			Event
		}{fmt.Sprintf("absence: import of %s %s: %s", ev.File, ev.Outcome, ev.Message), ev})
		resp, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			slog.Error("webhook", "url", url, "error", err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			slog.Error("webhook", "url", url, "status", resp.StatusCode)
		}
	}
}
