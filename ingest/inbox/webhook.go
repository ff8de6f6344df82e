package inbox

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/verzuim/absence/ingest/notify"
)

// Webhook returns an inbox notifier that posts each failed or empty import
// as JSON to url, so an unattended nightly import never fails silently.
// Delivery is best effort: a failed post is logged, not retried.
func Webhook(url string) func(Event) {
	return func(ev Event) {
		err := notify.Post(context.Background(), url, struct {
			Text string `json:"text"`
			Event
		}{fmt.Sprintf("absence: import of %s %s: %s", ev.File, ev.Outcome, ev.Message), ev})
		if err != nil {
			slog.Error("webhook", "url", url, "error", err)
		}
	}
}
