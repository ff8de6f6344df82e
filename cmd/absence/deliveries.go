package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/verzuim/absence/analytics/alerts"
	"github.com/verzuim/absence/ingest/notify"
)

// packSchedule is one [[pack]] of the configuration: a report pack the
// server makes on a schedule, of the previous month, into a folder and/or
// by mail.
type packSchedule struct {
	// Schedule is cron ("0 6 3 * *") or "monthly on day N" (at 06:00).
	Schedule   string   `toml:"schedule"`
	Employer   string   `toml:"employer"`
	Department string   `toml:"department"`
	Formats    []string `toml:"formats"` // pdf, xlsx; default pdf
	Folder     string   `toml:"folder"`
	Mail       []string `toml:"mail"`
	Lang       string   `toml:"lang"`
}

// alertConfig is one [[alert]] of the configuration: which rules, for
// which employer, to which channels.
type alertConfig struct {
	Rules    []string `toml:"rules"`    // default every rule
	Employer string   `toml:"employer"` // default every employer
	Webhook  bool     `toml:"webhook"`  // post to [webhook] url
	Mail     []string `toml:"mail"`
	Language string   `toml:"language"` // of its mails and webhook posts: nl (default) or en
}

// lang is the language of an [[alert]]'s messages.
func (a alertConfig) lang() string { return cmp.Or(a.Language, alerts.Languages[0]) }

var monthlyOnDay = regexp.MustCompile(`^monthly on day ([0-9]{1,2})$`)

// cron is the schedule as cron.
func (p packSchedule) cron() (string, error) {
	if m := monthlyOnDay.FindStringSubmatch(strings.TrimSpace(p.Schedule)); m != nil {
		day, _ := strconv.Atoi(m[1])
		if day < 1 || day > 28 {
			return "", fmt.Errorf("pack schedule %q: choose a day from 1 to 28, which every month has", p.Schedule)
		}
		return fmt.Sprintf("0 6 %d * *", day), nil
	}
	if len(strings.Fields(p.Schedule)) != 5 {
		return "", fmt.Errorf("pack schedule %q: write cron (\"0 6 3 * *\") or \"monthly on day 3\"", p.Schedule)
	}
	return p.Schedule, nil
}

// formats are the pack's formats, pdf by default.
func (p packSchedule) formats() []string {
	if len(p.Formats) == 0 {
		return []string{"pdf"}
	}
	return p.Formats
}

// checkDeliveries checks [smtp], [[pack]] and [[alert]].
func (c config) checkDeliveries() error {
	if err := c.SMTP.Check(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	for _, p := range c.Packs {
		if _, err := p.cron(); err != nil {
			return fmt.Errorf("config: %w", err)
		}
		for _, f := range p.formats() {
			if f != "pdf" && f != "xlsx" {
				return fmt.Errorf("config: pack format %q: choose pdf or xlsx", f)
			}
		}
		if p.Folder == "" && len(p.Mail) == 0 {
			return errors.New("config: a [[pack]] needs a folder or mail recipients")
		}
		if len(p.Mail) > 0 && !c.SMTP.Configured() {
			return errors.New("config: a [[pack]] sends mail, but [smtp] names no host")
		}
		if p.Lang != "" && p.Lang != "nl" && p.Lang != "en" {
			return fmt.Errorf("config: pack lang %q: expected nl or en", p.Lang)
		}
	}
	for _, a := range c.Alerts {
		for _, r := range a.Rules {
			if !slices.Contains(alerts.Rules, alerts.Rule(r)) {
				return fmt.Errorf("config: alert rule %q: known rules are %v", r, alerts.Rules)
			}
		}
		if !slices.Contains(alerts.Languages, a.lang()) {
			return fmt.Errorf("config: alert language %q: choose one of %v", a.Language, alerts.Languages)
		}
		if !a.Webhook && len(a.Mail) == 0 {
			return errors.New("config: an [[alert]] needs webhook = true or mail recipients")
		}
		if a.Webhook && c.Webhook.URL == "" {
			return errors.New("config: an [[alert]] posts to the webhook, but [webhook] names no url")
		}
		if len(a.Mail) > 0 && !c.SMTP.Configured() {
			return errors.New("config: an [[alert]] sends mail, but [smtp] names no host")
		}
	}
	return nil
}

// mailer is [smtp] with its password: $ABSENCE_SMTP_PASSWORD, else the
// password file.
func (c config) mailer() (notify.SMTP, error) {
	m := c.SMTP
	if m.Password == "" && m.PasswordFile != "" {
		b, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return m, fmt.Errorf("smtp password: %w", err)
		}
		m.Password = strings.TrimSpace(string(b))
	}
	return m, nil
}

// printDeliveries is the mail server, packs and alerts for 'config check'.
func printDeliveries(c config) {
	if c.SMTP.Configured() {
		password := "(none)"
		if c.SMTP.Password != "" || c.SMTP.PasswordFile != "" {
			password = "(set, hidden)"
		}
		fmt.Printf("mail server         %s:%d from %s, user %s, password %s, starttls %s\n", c.SMTP.Host, or(c.SMTP.Port, 587), c.SMTP.From,
			orNone(c.SMTP.User), password, cmp.Or(c.SMTP.StartTLS, "required"))
	}
	for _, p := range c.Packs {
		scope := strings.TrimSuffix(orNone(p.Employer)+" / "+p.Department, " / ")
		fmt.Printf("report pack         %s, %s → folder %s, mail %s\n", scope, p.Schedule, orNone(p.Folder), orNone(strings.Join(p.Mail, ", ")))
	}
	for _, a := range c.Alerts {
		fmt.Printf("alert               %v for %s → webhook %v, mail %s, in %s\n", a.rules(), orNone(a.Employer), a.Webhook, orNone(strings.Join(a.Mail, ", ")), a.lang())
	}
}
