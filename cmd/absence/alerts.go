package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/verzuim/absence/analytics"
	"github.com/verzuim/absence/analytics/alerts"
	"github.com/verzuim/absence/ingest/inbox"
	"github.com/verzuim/absence/ingest/notify"
	"github.com/verzuim/absence/ingest/storage"
)

// alerter evaluates the [[alert]] rules and sends each event once: an
// event whose key is in sent_alerts is never sent again.
type alerter struct {
	store   *storage.Store
	opt     analytics.Options
	configs []alertConfig
	webhook string
	mail    notify.SMTP
	linkTo  string // the dashboard's address, for links
	mu      sync.Mutex
}

func newAlerter(cfg config, store *storage.Store) (*alerter, error) {
	m, err := cfg.mailer()
	if err != nil {
		return nil, err
	}
	return &alerter{store: store, opt: cfg.analyticsOptions(), configs: cfg.Alerts, webhook: cfg.Webhook.URL, mail: m,
		linkTo: strings.TrimSuffix(cfg.DashboardURL, "/")}, nil
}

// rules are the rules of an [[alert]], every rule by default.
func (a alertConfig) rules() []alerts.Rule {
	if len(a.Rules) == 0 {
		return alerts.Rules
	}
	out := make([]alerts.Rule, len(a.Rules))
	for i, r := range a.Rules {
		out[i] = alerts.Rule(r)
	}
	return out
}

// wants says whether this [[alert]] asks for rule r about employer name.
func (a alertConfig) wants(r alerts.Rule, employer string) bool {
	return slices.Contains(a.rules(), r) && (a.Employer == "" || strings.EqualFold(a.Employer, employer))
}

// channels are where one event goes: the union of the [[alert]]s that
// want it, each mail address in its [[alert]]'s language (the first that
// names it), the webhook in that of the first that posts to it.
type channels struct {
	webhook string            // its language; "" not posted
	mail    map[string]string // address → language
}

// Evaluate runs every configured rule over every employer's data and
// sends what is new.
func (al *alerter) Evaluate(ctx context.Context) error {
	al.mu.Lock()
	defer al.mu.Unlock()
	employers, err := al.store.Reader().Employers(ctx)
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	var errs []error
	for _, e := range employers {
		var rules []alerts.Rule
		for _, c := range al.configs {
			for _, r := range c.rules() {
				if c.wants(r, e.Name) && !slices.Contains(rules, r) {
					rules = append(rules, r)
				}
			}
		}
		events, err := alerts.Evaluate(ctx, al.store.Reader(), al.opt, alerts.Employer{ID: e.ID, Name: e.Name, Default: e.ID == storage.DefaultEmployerID}, rules)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, ev := range events {
			if err := al.send(ctx, ev); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("alerts: %w", errs[0])
	}
	return nil
}

// importNotifier is the inbox's notifier: a failed import is an alert
// (ImportFailed); other events go to next, if any, as before.
func (al *alerter) importNotifier(next func(inbox.Event)) func(inbox.Event) {
	return func(ev inbox.Event) {
		switch {
		case ev.Outcome == "failed":
			al.ImportFailed(ev)
		case next != nil:
			next(ev)
		}
	}
}

// ImportFailed alerts an import that failed: a broken file, or one that
// would have removed too much of its source.
func (al *alerter) ImportFailed(ev inbox.Event) {
	al.mu.Lock()
	defer al.mu.Unlock()
	err := al.send(context.Background(), alerts.ImportFailedEvent(ev.Employer, ev.File, ev.Message, ev.Time))
	if err != nil {
		slog.Error("alert", "file", ev.File, "error", err)
	}
}

// send delivers ev to the channels that want it, unless it was sent, and
// keeps that it was. A channel that fails leaves the event unsent, so the
// next run tries again.
func (al *alerter) send(ctx context.Context, ev alerts.Event) error {
	ch := channels{mail: map[string]string{}}
	for _, c := range al.configs {
		if c.wants(ev.Rule, ev.Employer) {
			if c.Webhook && ch.webhook == "" {
				ch.webhook = c.lang()
			}
			for _, m := range c.Mail {
				if _, ok := ch.mail[m]; !ok {
					ch.mail[m] = c.lang()
				}
			}
		}
	}
	if ch.webhook == "" && len(ch.mail) == 0 {
		return nil
	}
	if sent, err := al.store.Reader().AlertSent(ctx, ev.Key); err != nil || sent {
		return err
	}
	link := ev.Link
	if al.linkTo != "" && link != "" {
		link = al.linkTo + link
	}
	var via []string
	if ch.webhook != "" {
		body := struct {
			Text string `json:"text"`
			alerts.Event
		}{Event: ev}
		body.Title, body.Event.Text = ev.In(ch.webhook)
		body.Text, body.Link = body.Title+": "+body.Event.Text, link
		if err := notify.Post(ctx, al.webhook, body); err != nil {
			return fmt.Errorf("alert %s: %w", ev.Key, err)
		}
		via = append(via, "webhook")
	}
	for _, lang := range alerts.Languages { // one mail per language, to its recipients
		var to []string
		for m, l := range ch.mail {
			if l == lang {
				to = append(to, m)
			}
		}
		if len(to) == 0 {
			continue
		}
		slices.Sort(to)
		title, text := ev.In(lang)
		if link != "" {
			text += "\n\n" + link
		}
		if err := al.mail.Send(ctx, to, title, text+"\n\n-- \n"+mailSignature[lang]+"\n"); err != nil {
			return fmt.Errorf("alert %s: %w", ev.Key, err)
		}
		if !slices.Contains(via, "mail") {
			via = append(via, "mail")
		}
	}
	facts, err := json.Marshal(ev.Facts)
	if err != nil {
		return fmt.Errorf("alert %s: %w", ev.Key, err)
	}
	return al.store.RecordAlert(ctx, storage.Alert{Key: ev.Key, Rule: string(ev.Rule), EmployerID: ev.EmployerID, Title: ev.Title,
		Body: ev.Text, Link: ev.Link, Channels: strings.Join(via, ","), SentAt: time.Now().UTC(), Facts: string(facts)})
}

// mailSignature closes an alert mail.
var mailSignature = map[string]string{"nl": "absence, verzuimsignalen", "en": "absence, absence alerts"}

// tellsImports says whether an [[alert]] asks for failed imports.
func (al *alerter) tellsImports() bool {
	return slices.ContainsFunc(al.configs, func(c alertConfig) bool { return slices.Contains(c.rules(), alerts.ImportFailed) })
}
