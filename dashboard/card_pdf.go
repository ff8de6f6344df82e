package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"

	"github.com/chromedp/cdproto/network"
	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/dashboard/printing"
	"github.com/verzuim/absence/dashboard/widgets"
)

// cardReady is present once the card's page has drawn everything: charts.js
// marks the document when every chart has finished drawing and no figure is
// still being computed.
const cardReady = "html[data-drawn]"

// cardPDF prints the card as the requesting user sees it: chromium opens
// the card's page on this server with the user's session (so the scope is
// theirs) and prints it with the print stylesheet. The figures are computed
// first, so the page it prints is complete.
func (s *Server) cardPDF(c *gin.Context, card widgets.Card) {
	if _, _, ok := s.cardFigures(c, card); !ok {
		return
	}
	local, ok := c.Request.Context().Value(http.LocalAddrContextKey).(net.Addr)
	session, err := c.Cookie(sessionCookie)
	if !ok || err != nil {
		s.serverError(c, errors.New("print the card: the request came without a connection or session to print with"))
		return
	}
	page := url.URL{Scheme: "http", Host: local.String(), Path: "/interventions/card/" + card.Type, RawQuery: c.Request.URL.RawQuery}
	ctx, cancel := context.WithTimeout(c.Request.Context(), printing.Timeout)
	defer cancel()
	pdf, err := printing.PDF(ctx, printing.Page{URL: page.String(), Ready: cardReady,
		Cookies: []*network.SetCookieParams{{Name: sessionCookie, Value: session}}})
	switch {
	case errors.Is(err, printing.ErrNoBrowser):
		slog.Error("PDF not available", "path", c.Request.URL.Path, "error", err)
		c.Data(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte(translate(langOf(c), "card_pdf_unavailable")))
		return
	case err != nil:
		s.serverError(c, fmt.Errorf("print the card: %w", err))
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pdf"`, cardFileName(card)))
	c.Data(http.StatusOK, "application/pdf", pdf)
}
