// Package dashboard serves the absence figures as web pages with interactive
// charts and as a JSON API, behind local accounts with roles.
//
// Handlers stay thin: they read the filter from the URL, ask the analytics
// package (through a cache keyed by filter and data version), turn the result
// into charts (package charts) and render a template. There is no SQL here.
// Routes are listed in routes.go; each page has its own file (page_*.go).
package dashboard
