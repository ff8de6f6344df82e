package dashboard

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/verzuim/absence/ingest"
)

// ingest writes its texts (the reasons rows are rejected, notes, why a file
// fails, what it detected) in English, for the terminal and the logs. The
// imports page shows them in the user's language through this table, the
// one place that knows their Dutch: each English pattern with its Dutch
// text ($1… the pattern's parts). A text not in the table is shown as ingest
// wrote it; the language test uploads messy files and lists any it finds.
var ingestTexts = []struct {
	en *regexp.Regexp
	nl string
	// web replaces the English for the dashboard where ingest advises a
	// command-line flag ("" keeps the English).
	web string
	// drop: the page says it already, in its own words.
	drop bool
}{
	// Notes.
	{en: re(`^profile (\S+) chosen by the header \((.*)\)$`), nl: "profiel $1 gekozen op grond van de kopregel", web: "profile $1 chosen by the header"},
	{en: re(`^column (.+) not used; never stored$`), nl: "kolom $1 wordt niet gebruikt en nooit opgeslagen"},
	{en: re(`^column (.+) \(medical\) dropped; never stored$`), nl: "kolom $1 (medisch) weggelaten en nooit opgeslagen"},
	{en: re(`^this file was already imported on (.+) \(import (\d+)\); nothing changed$`), nl: "dit bestand is al geïmporteerd op $1 (import $2); er is niets veranderd"},
	{en: re(`^line (\d+) holds characters that look like UTF-8 in a file read as Windows-1252 \((.*)\); check that line$`), nl: "regel $1 bevat tekens die op UTF-8 lijken in een bestand dat als Windows-tekst is gelezen ($2); controleer die regel"},
	{en: re(`^replaces the .*, \d+ of them unchanged$`), drop: true}, // the preview's change_summary
	// Reasons a row is rejected.
	{en: re(`^not a valid date; expected (.+)$`), nl: "geen geldige datum; verwacht $1"},
	{en: re(`^not a number$`), nl: "geen getal"},
	{en: re(`^not a percentage$`), nl: "geen percentage"},
	{en: re(`^not yes or no; expected .*$`), nl: "geen ja of nee; verwacht ja/nee, j/n, true/false of 1/0"},
	{en: re(`^(.+) is empty$`), nl: "$1 is leeg"},
	{en: re(`^percentage must be between 0 and 100$`), nl: "het percentage moet tussen 0 en 100 liggen"},
	{en: re(`^date out of range \(1900–2100\); is the year written in full\?$`), nl: "datum buiten 1900–2100; staat het jaar er voluit?"},
	{en: re(`^has (\S+) fields where the header has (\S+)$`), nl: "heeft $1 velden waar de kopregel er $2 heeft"},
	{en: re(`^has (\S+) fields; at most (\S+) are allowed$`), nl: "heeft $1 velden; er mogen er hooguit $2 zijn"},
	{en: re(`^cannot be read as a CSV row$`), nl: "is niet te lezen als CSV-regel"},
	{en: re(`^has a quote \(".*$`), nl: "bevat een aanhalingsteken (\") binnen een waarde die niet tussen aanhalingstekens staat"},
	{en: re(`^unknown \S+ "(.*?)"; known values: (.*)\. To import it, add .*$`), nl: "onbekende waarde \"$1\"; bekende waarden: $2. Vraag de beheerder de waarde aan het profiel toe te voegen.",
		web: "unknown value \"$1\"; known values: $2. Ask your administrator to add the value to the profile."},
	{en: re(`^this employee is not in the employment data imported so far \(last employment import: (.+) on (.+)\)$`), nl: "deze medewerker staat niet in de tot nu toe geïmporteerde dienstverbanden (laatste import van dienstverbanden: $1 op $2)"},
	{en: re(`^no employment for this employee; import the employment file first$`), nl: "geen dienstverband voor deze medewerker; importeer eerst het bestand met dienstverbanden"},
	{en: re(`^no employment for this employee on the first sick day (.*)$`), nl: "geen dienstverband voor deze medewerker op de eerste ziektedag $1"},
	{en: re(`^the employment of this employee runs from (\S+) to (\S+); the first sick day (\S+) lies outside it$`), nl: "het dienstverband van deze medewerker loopt van $1 tot en met $2; de eerste ziektedag $3 valt erbuiten"},
	{en: re(`^the employment of this employee runs from (\S+) with no end date; the first sick day (\S+) lies outside it$`), nl: "het dienstverband van deze medewerker loopt vanaf $1 zonder einddatum; de eerste ziektedag $2 valt erbuiten"},
	{en: re(`^not imported because line (\d+) of the same case was rejected$`), nl: "niet geïmporteerd omdat regel $1 van hetzelfde verzuimgeval is afgekeurd"},
	{en: re(`^not imported because line (\d+) (.*)$`), nl: "niet geïmporteerd omdat regel $1 $2"},
	{en: re(`^(?:the )?date is before the first sick day (.*)$`), nl: "de datum ligt vóór de eerste ziektedag $1"},
	{en: re(`^the date is after the extract date$`), nl: "de datum ligt na de extractiedatum"},
	{en: re(`^the first sick day is after the extract date (.*)$`), nl: "de eerste ziektedag ligt na de extractiedatum $1"},
	{en: re(`^the start date is after the extract date (.*)$`), nl: "de begindatum ligt na de extractiedatum $1"},
	{en: re(`^the end date is before the start date (.*)$`), nl: "de einddatum ligt vóór de begindatum $1"},
	{en: re(`^the recovery date must be after the first sick day (.*)$`), nl: "de hersteldatum moet na de eerste ziektedag liggen $1"},
	{en: re(`^comes after the full recovery of this case$`), nl: "komt na het volledige herstel van dit verzuimgeval"},
	{en: re(`^a partial recovery needs a percentage$`), nl: "een gedeeltelijk herstel heeft een percentage nodig"},
	{en: re(`^a sick report with 0% absent is not an absence$`), nl: "een ziekmelding met 0% afwezig is geen verzuim"},
	{en: re(`^a period with 0% absent is not an absence; leave the row out$`), nl: "een periode met 0% afwezig is geen verzuim; laat de regel weg"},
	{en: re(`^overlaps another absence case of this employee in the file, which starts (.*)$`), nl: "overlapt met een ander verzuimgeval van deze medewerker in het bestand, dat begint op $1"},
	{en: re(`^overlaps an absence case imported earlier \(from another export\) starting (.*)$`), nl: "overlapt met een eerder geïmporteerd verzuimgeval (uit een andere export) dat begint op $1"},
	{en: re(`^overlaps the absence period on line (.*)$`), nl: "overlapt met de verzuimperiode op regel $1"},
	{en: re(`^overlaps the employment on line (.*)$`), nl: "overlapt met het dienstverband op regel $1"},
	{en: re(`^the periods of this case \(same case number\) leave a gap at (.*)$`), nl: "de periodes van dit verzuimgeval (zelfde casenummer) laten een gat op $1"},
	{en: re(`^the periods of this case \(same case number\) do not follow on from each other: another case of this employee lies between them$`), nl: "de periodes van dit verzuimgeval (zelfde casenummer) sluiten niet op elkaar aan: er ligt een ander verzuimgeval van deze medewerker tussen"},
	{en: re(`^no absence case of this employee starts on this first sick day; import the absence file first$`), nl: "geen verzuimgeval van deze medewerker begint op deze eerste ziektedag; importeer eerst het verzuimbestand"},
	{en: re(`^contract hours per week must be between 0\.5 and 80$`), nl: "de contracturen per week moeten tussen 0,5 en 80 liggen"},
	{en: re(`^full-time hours per week must be between 1 and 80$`), nl: "de voltijduren per week moeten tussen 1 en 80 liggen"},
	{en: re(`^the part-time factor must be between 0\.01 and 2$`), nl: "de deeltijdfactor moet tussen 0,01 en 2 liggen"},
	{en: re(`^implausible birth year$`), nl: "onwaarschijnlijk geboortejaar"},
	{en: re(`^sessions must be a whole number, 0 or more$`), nl: "het aantal sessies moet een heel getal zijn, 0 of meer"},
	{en: re(`^cost cannot be negative$`), nl: "kosten kunnen niet negatief zijn"},
	{en: re(`^holds a character that is not UTF-8 \(byte (0x[0-9A-F]+)(.*)\); correct it, or export the file again as UTF-8$`), nl: "bevat een teken dat geen UTF-8 is (byte $1$2); verbeter het, of exporteer het bestand opnieuw als UTF-8"},
	// The inbox.
	{en: re(`^still being written; tried again on the next run$`), nl: "wordt nog geschreven; de volgende keer opnieuw geprobeerd"},
	{en: re(`^the same content was imported before \(import (\d+)\)$`), nl: "dezelfde inhoud is al eerder geïmporteerd (import $1)"},
	// Why a whole file fails.
	{en: re(`^(\S+) line (\d+) contains a NUL byte: .*$`), nl: "$1 regel $2 bevat een NUL-byte: dit is geen tekstbestand (of het is opgeslagen als UTF-16, \"Unicode-tekst\"); exporteer het als CSV"},
	{en: re(`^(\S+) line (\d+) holds a carriage return \(CR\) inside the row: .*$`), nl: "$1 regel $2 bevat een regelterugloop (CR) midden in de regel: het bestand mengt regeleinden of is beschadigd; sla het op met Windows-regeleinden (CRLF) of Unix-regeleinden (LF), of exporteer het opnieuw"},
	{en: re(`^line 1: no built-in profile fits this header \((.*)\); name a profile with --profile, or write one \(see the README\)$`),
		nl:  "regel 1: geen ingebouwd profiel past bij deze kopregel ($1); kies bij het uploaden een profiel, of vraag de beheerder er een te maken",
		web: "line 1: no built-in profile fits this header ($1); choose a profile when you upload the file, or ask your administrator to make one"},
	{en: re(`^line 1: the header lacks column (.+) needed by profile (\S+); the header has: (.*)$`), nl: "regel 1: de kopregel mist kolom $1, die profiel $2 nodig heeft; de kopregel heeft: $3"},
	{en: re(`^line 1: cannot tell the delimiter: .*$`), nl: "regel 1: het scheidingsteken is niet te herkennen: de kopregel heeft geen ';', ',', tab of '|' (is dit een CSV-export?)"},
	{en: re(`^(.*?): none of the (\S+) rows is valid, so nothing was imported$`), nl: "$1: geen van de $2 regels is geldig, dus er is niets geïmporteerd"},
	{en: re(`^(.*?) has a header but no rows: nothing to import$`), nl: "$1 heeft een kopregel maar geen regels daaronder: er is niets te importeren"},
	{en: re(`^(.*?) is empty \(0 bytes\): nothing to import$`), nl: "$1 is leeg (0 bytes): er is niets te importeren"},
	{en: re(`^the file cannot be read as CSV: .*$`), nl: "het bestand is niet te lezen als CSV: het is beschadigd of geen gewone CSV-export (binaire inhoud, gemengde regeleinden, …); exporteer het opnieuw"},
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// ingestText is a text of ingest in lang, with any path on the server cut
// to its file name: the user knows the file by the name they uploaded.
func ingestText(lang, text string) string {
	text = serverPath.ReplaceAllStringFunc(text, filepath.Base)
	for _, t := range ingestTexts {
		if !t.en.MatchString(text) {
			continue
		}
		switch {
		case t.drop:
			return ""
		case lang == "nl":
			return dutchFormats.Replace(t.en.ReplaceAllString(text, t.nl))
		case t.web != "":
			return t.en.ReplaceAllString(text, t.web)
		}
	}
	return text
}

// serverPath is an absolute path on the server (a file the upload was
// saved as, a database).
var serverPath = regexp.MustCompile(`(?:/[^/\s"':;,()]+)+/[^/\s"':;,()]+`)

// dutchFormats writes date formats as Dutch users know them.
var dutchFormats = strings.NewReplacer("yyyy", "jjjj", "yy", "jj")

// detectedText is what ingest detected in a file (Result.Detected, e.g.
// "Windows text, fields separated by ';', dates dd-mm-yyyy") in lang: a
// list of parts, each translated.
func detectedText(lang, text string) string {
	if lang != "nl" {
		return text
	}
	return detectedParts.Replace(text)
}

var detectedParts = strings.NewReplacer(
	"UTF-8 text", "UTF-8-tekst", "Windows text", "Windows-tekst",
	"fields separated by tabs", "velden gescheiden door tabs", "fields separated by", "velden gescheiden door",
	"mixed line endings", "gemengde regeleinden", "dates ", "datums als ", " or ", " of ",
	"percentages as fractions (0.75 = 75%)", "percentages als fracties (0,75 = 75%)",
	"yyyy", "jjjj", "yy", "jj")

// importFailure is why an import failed, in lang, naming the file as the
// user uploaded it.
func importFailure(lang string, err error, up upload) string {
	return ingestText(lang, strings.ReplaceAll(err.Error(), up.path, up.name))
}

// exportKind names what a profile reads, e.g. "AFAS-verzuimexport".
func exportKind(lang string, profile string, kind ingest.Kind) string {
	vendor, _, _ := strings.Cut(profile, "-")
	switch vendor {
	case "afas":
		vendor = "AFAS"
	case "visma":
		vendor = "Visma"
	default:
		vendor = ""
	}
	name := translate(lang, "export_"+string(kind))
	if vendor == "" {
		return name
	}
	if lang == "nl" {
		return vendor + "-" + strings.ToLower(name)
	}
	return vendor + " " + strings.ToLower(name)
}
