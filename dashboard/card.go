package dashboard

import (
	"cmp"
	"errors"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/verzuim/absence/dashboard/widgets"
)

// The evidence card of an intervention type (/interventions/card/TYPE): one
// page in plain words, per provider with ?provider=NAME and per employer
// with ?employer=NAME, scoped as the Interventies page; TYPE.pdf prints it
// (card_pdf.go), TYPE.xlsx writes its figures (card_xlsx.go).

// cardPage is the card as a page of the table (pages.go): its sections are
// widgets; not in the menu (reached from the Interventies page).
func cardPage(card widgets.Card) *pageEntry {
	return &pageEntry{path: "/interventions/card", name: "card", roles: rolesOf("/interventions"), threeYears: true,
		widgets: func() []widgets.Widget { return widgets.CardSections(card) }}
}

// cardHead is what the card's template shows above its sections.
type cardHead struct {
	widgets.Card
	Of string // whose interventions (cardProvider)
}

// showCard answers the card, or with .pdf or .xlsx its download.
func (s *Server) showCard(c *gin.Context) {
	// The type from the path, not c.Param: a refresh replays the request
	// without the router (generations.go).
	typ, format := path.Base(c.Request.URL.Path), ""
	for _, ext := range []string{".pdf", ".xlsx"} {
		if t, ok := strings.CutSuffix(typ, ext); ok {
			typ, format = t, ext
		}
	}
	card, err := cardOf(c, typ)
	switch {
	case errors.Is(err, errForbidden):
		forbidden(c)
		return
	case err != nil:
		s.refuse(c, http.StatusBadRequest, err)
		return
	}
	switch {
	case format != "" && c.Request.Context().Value(refreshing{}) != nil:
		s.cardFigures(c, card) // a refresh computes the figures; a download is made when asked for
	case format == ".pdf":
		s.cardPDF(c, card)
	case format == ".xlsx":
		s.cardXLSX(c, card)
	default:
		s.servePage(c, cardPage(card), cardHead{Card: card, Of: cardProvider(c, card)})
	}
}

// cardOf is the card request c asks for. Provider staff see their own
// organisation's interventions only: their card is their own, and asking
// for another provider's is forbidden.
func cardOf(c *gin.Context, typ string) (widgets.Card, error) {
	if !slices.Contains(widgets.CardTypes(), typ) {
		return widgets.Card{}, badInput("card_unknown_type", typ, strings.Join(widgets.CardTypes(), ", "))
	}
	card := widgets.Card{Type: typ, Provider: strings.TrimSpace(c.Query("provider"))}
	card.Of = card.Provider
	if u := c.MustGet(ctxUser).(User); u.Access() == RoleProvider {
		if card.Provider != "" && !strings.EqualFold(card.Provider, u.Provider) {
			return card, errForbidden
		}
		card.Provider, card.Of = "", u.Provider // the figures hold their interventions only
	}
	return card, nil
}

// cardFigures are the figures of card for request c, complete (a download
// waits for them, as the API does); ok is false when c has been answered.
func (s *Server) cardFigures(c *gin.Context, card widgets.Card) (widgets.CardFigures, widgets.View, bool) {
	v, ok := s.viewOf(c)
	if !ok {
		return widgets.CardFigures{}, widgets.View{}, false
	}
	wv := widgetView(c, v)
	res, err := widgets.Adjusted.Get(answer(c.Request.Context()), s.deps(c), wv.ThreeYears())
	if err != nil {
		s.serverError(c, err)
		return widgets.CardFigures{}, wv, false
	}
	f := widgets.FiguresOf(res, card)
	if !f.Found {
		s.refuse(c, http.StatusBadRequest, figureInput(widgets.ErrNoSuchCard{Card: card}))
		return f, wv, false
	}
	return f, wv, true
}

// cardProvider names whose interventions the card is of: the chosen
// provider, provider staff's own organisation, or every provider.
func cardProvider(c *gin.Context, card widgets.Card) string {
	return cmp.Or(card.Of, translate(langOf(c), "card_all_providers"))
}

// employerNames are the employers of view v with data, as users see them.
func employerNames(v widgets.View) []string {
	var out []string
	for _, e := range v.Clients {
		if n := shownName(e.Name); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// filterText is the filter of request c in words for the download's
// Toelichting: the parameters the user set.
func filterText(c *gin.Context) string {
	q := c.Request.URL.Query()
	var parts []string
	for _, k := range filterParams {
		if vs := values(q, k); len(vs) > 0 {
			parts = append(parts, k+" = "+strings.Join(vs, ", "))
		}
	}
	if len(parts) == 0 {
		return translate(langOf(c), "card_no_filter")
	}
	return strings.Join(parts, "; ")
}

// cardFileName names the card's downloads: interventiekaart-mediation,
// with the provider when chosen.
func cardFileName(card widgets.Card) string {
	name := "interventiekaart-" + card.Type
	if card.Provider != "" {
		name += "-" + strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				return r
			}
			return '-'
		}, card.Provider)
	}
	return name
}

// CardTypes are the types with a card, for the Interventies page's links.
func (p page) CardTypes() []string { return widgets.CardTypes() }
