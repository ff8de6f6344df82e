package dashboard

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every text the templates and handlers ask for exists in both languages, so
// no page shows a bare key.
func TestEveryTextIsTranslated(t *testing.T) {
	for key := range messages["nl"] {
		if _, ok := messages["en"][key]; !ok {
			t.Errorf("%q has no English text", key)
		}
	}
	for key := range messages["en"] {
		if _, ok := messages["nl"][key]; !ok {
			t.Errorf("%q has no Dutch text", key)
		}
	}
	used := regexp.MustCompile(`(?:\.T|p\.T)f?[ (]"([a-z0-9_]+)"`)
	files, _ := filepath.Glob("templates/*.html")
	goFiles, _ := filepath.Glob("*.go")
	widgetFiles, _ := filepath.Glob("widgets/*.go") // v.T("…")
	goFiles = append(goFiles, widgetFiles...)
	found := 0
	for _, f := range append(files, goFiles...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(data), -1) {
			if strings.HasSuffix(m[1], "_") {
				continue // a prefix, completed at run time ("iv_" + type)
			}
			found++
			if _, ok := messages["nl"][m[1]]; !ok {
				t.Errorf("%s asks for %q, which has no text", f, m[1])
			}
		}
	}
	if found < 50 {
		t.Errorf("found only %d uses of translated texts; the pattern is off", found)
	}
}
