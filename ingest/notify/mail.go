package notify

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP are the settings of the mail server the reports and alerts go out
// through ([smtp] in the configuration).
type SMTP struct {
	Host string `toml:"host"`
	Port int    `toml:"port"` // default 587
	From string `toml:"from"`
	User string `toml:"user"`
	// Password is not written in the file: it comes from PasswordFile or
	// $ABSENCE_SMTP_PASSWORD.
	Password     string `toml:"-"`
	PasswordFile string `toml:"password_file"`
	// StartTLS: "required" (the default: never send a report unencrypted),
	// "opportunistic", or "off" (a relay on the same host).
	StartTLS string `toml:"starttls"`
}

// Attachment is a file sent with a mail.
type Attachment struct {
	Name string
	Data []byte
}

// Configured says whether mail can be sent.
func (s SMTP) Configured() bool { return s.Host != "" }

// Check reports a setting that cannot work, for 'config check' and the
// server's start.
func (s SMTP) Check() error {
	if !s.Configured() {
		return nil
	}
	if s.From == "" {
		return fmt.Errorf("smtp: from is required: the address the reports are sent from")
	}
	if _, err := s.policy(); err != nil {
		return err
	}
	return nil
}

func (s SMTP) policy() (mail.TLSPolicy, error) {
	switch s.StartTLS {
	case "", "required":
		return mail.TLSMandatory, nil
	case "opportunistic":
		return mail.TLSOpportunistic, nil
	case "off":
		return mail.NoTLS, nil
	}
	return 0, fmt.Errorf("smtp: starttls %q: choose required, opportunistic or off", s.StartTLS)
}

// Send mails subject and text with the attachments to every recipient, in
// one message.
func (s SMTP) Send(ctx context.Context, to []string, subject, text string, files ...Attachment) error {
	if !s.Configured() {
		return fmt.Errorf("mail to %v: no mail server configured ([smtp] host)", to)
	}
	policy, err := s.policy()
	if err != nil {
		return err
	}
	m := mail.NewMsg()
	if err := m.From(s.From); err != nil {
		return fmt.Errorf("smtp: from %q: %w", s.From, err)
	}
	if err := m.To(to...); err != nil {
		return fmt.Errorf("mail to %v: %w", to, err)
	}
	m.Subject(subject)
	m.SetBodyString(mail.TypeTextPlain, text)
	for _, f := range files {
		if err := m.AttachReader(f.Name, bytes.NewReader(f.Data)); err != nil {
			return fmt.Errorf("mail attachment %s: %w", f.Name, err)
		}
	}
	port := s.Port
	if port == 0 {
		port = 587
	}
	opts := []mail.Option{mail.WithPort(port), mail.WithTLSPolicy(policy), mail.WithTimeout(30 * time.Second)}
	if s.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.User), mail.WithPassword(s.Password))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.Host, err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("mail %q to %v through %s:%d: %w", subject, to, s.Host, port, err)
	}
	return nil
}
