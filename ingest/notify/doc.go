// Package notify delivers what the server has to tell people who are not
// looking at the dashboard: the monthly report pack and alerts, by e-mail
// (SMTP, with go-mail) and to a webhook (a JSON post, as the inbox's
// failed imports are). It knows nothing of absence figures: callers give
// it a subject, a text and attachments.
package notify
