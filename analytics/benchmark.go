package analytics

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Benchmark is one published absence rate to compare a figure with.
type Benchmark struct {
	Key    string  // "national", "zorg", "vvt", "horeca", "financial", "size-10-100", ...
	Label  string  // what the figure covers, for display
	Period string  // "2023", "2024-Q1"
	Year   int     // calendar year of the period
	ZVP    float64 // absence rate in %, excluding pregnancy leave
	// Source names the publisher and where the figure was read, so a user
	// can check it; Kind says how it was measured.
	Source string
	Kind   string // "CBS KZV" (employer survey), "Vernet" (registrations), "arbodienst" (registrations)
	Note   string
}

// benchmarks are the reference figures of DOMAIN.md §5, completed with the
// CBS figures for 2015, 2017 and 2020 that the linked articles give. No CBS
// annual figure for 2021 or 2024 was found; they are left out, not guessed.
var benchmarks = []Benchmark{
	{"national", "Netherlands, all employees", "2014", 2014, 3.8, "CBS via nu.nl (2020-03)", "CBS KZV", "lowest since 1996"},
	{"national", "Netherlands, all employees", "2015", 2015, 3.9, "CBS kwartaalenquête via kwaliteitopmaat.com", "CBS KZV", ""},
	{"national", "Netherlands, all employees", "2016", 2016, 3.9, "CBS via nu.nl / blikopnieuws.nl", "CBS KZV", ""},
	{"national", "Netherlands, all employees", "2017", 2017, 4.0, "CBS kwartaalenquête via kwaliteitopmaat.com", "CBS KZV", ""},
	{"national", "Netherlands, all employees", "2018", 2018, 4.3, "CBS via nu.nl (2020-03)", "CBS KZV", ""},
	{"national", "Netherlands, all employees", "2019", 2019, 4.4, "CBS via nu.nl (2020-03)", "CBS KZV", ""},
	{"national", "Netherlands, all employees", "2020", 2020, 4.7, "CBS via nieuws.nl (2021-05-28)", "CBS KZV", "preliminary figure; highest since 2003"},
	{"national", "Netherlands, all employees", "2022", 2022, 5.6, "CBS via blikopnieuws.nl (2024)", "CBS KZV", "highest since 1996"},
	{"national", "Netherlands, all employees", "2023", 2023, 5.3, "CBS via blikopnieuws.nl (2024)", "CBS KZV", ""},
	{"national", "Netherlands, all employees", "2019-Q1", 2019, 4.9, "CBS via nu.nl (2020-03)", "CBS KZV", "quarterly; Q1 and Q4 run highest"},
	{"national", "Netherlands, all employees", "2019-Q3", 2019, 4.0, "CBS via nieuws.nl", "CBS KZV", "quarterly"},
	{"national", "Netherlands, all employees", "2019-Q4", 2019, 4.5, "CBS via nu.nl (2020-03)", "CBS KZV", "quarterly"},
	{"national", "Netherlands, all employees", "2023-Q1", 2023, 5.7, "CBS via nieuws.nl (2023)", "CBS KZV", "quarterly"},
	{"national", "Netherlands, all employees", "2023-Q2", 2023, 5.0, "CBS via nieuws.nl (2023)", "CBS KZV", "quarterly"},
	{"national", "Netherlands, all employees", "2023-Q3", 2023, 4.8, "CBS via nieuws.nl (2023)", "CBS KZV", "quarterly"},
	{"national", "Netherlands, all employees", "2024-Q1", 2024, 5.5, "CBS via blikopnieuws.nl (2024)", "CBS KZV", "quarterly"},
	{"national", "Netherlands, all employees", "2025-Q1", 2025, 5.8, "CBS via welingelichtekringen.nl (2025)", "CBS KZV", "quarterly; flu season"},
	{"zorg", "Care and welfare (zorg)", "2019", 2019, 5.7, "CBS via nieuws.nl (2021-05-28)", "CBS KZV", ""},
	{"zorg", "Care and welfare (zorg)", "2020", 2020, 6.4, "CBS via nieuws.nl (2021-05-28)", "CBS KZV", ""},
	{"zorg", "Care and welfare (zorg)", "2024-Q1", 2024, 7.8, "CBS via blikopnieuws.nl (2024)", "CBS KZV", "quarterly"},
	{"zorg", "Care and welfare (zorg)", "2025-Q1", 2025, 8.1, "CBS via welingelichtekringen.nl (2025)", "CBS KZV", "quarterly"},
	{"vvt", "Nursing, care and home care (VVT)", "2023-Q2", 2023, 8.3, "CBS via nieuws.nl (2023)", "CBS KZV", "quarterly"},
	{"zorg-vernet", "Care sector, Vernet registrations", "2023", 2023, 7.75, "Vernet via rd.nl (2025)", "Vernet", ""},
	{"zorg-vernet", "Care sector, Vernet registrations", "2024", 2024, 7.81, "Vernet via rd.nl (2025)", "Vernet", ""},
	{"horeca", "Hospitality (horeca)", "2019", 2019, 2.7, "CBS via nieuws.nl (2021-05-28)", "CBS KZV", ""},
	{"horeca", "Hospitality (horeca)", "2020", 2020, 3.7, "CBS via nieuws.nl (2021-05-28)", "CBS KZV", ""},
	{"horeca", "Hospitality (horeca)", "2024-Q1", 2024, 3.5, "CBS via blikopnieuws.nl (2024)", "CBS KZV", "quarterly"},
	{"horeca", "Hospitality (horeca)", "2025-Q1", 2025, 3.4, "CBS via welingelichtekringen.nl (2025)", "CBS KZV", "quarterly"},
	{"financial", "Financial services", "2024-Q1", 2024, 4.0, "CBS via blikopnieuws.nl (2024)", "CBS KZV", "quarterly"},
	{"size-1-10", "Companies with 1–10 employees", "2016", 2016, 1.6, "CBS via vmdkoster.nl", "CBS KZV", ""},
	{"size-10-100", "Companies with 10–100 employees", "2016", 2016, 3.3, "CBS via vmdkoster.nl", "CBS KZV", ""},
	{"size-100+", "Companies with 100+ employees", "2016", 2016, 4.7, "CBS via vmdkoster.nl", "CBS KZV", ""},
	{"arbodienst", "ArboNed/HCC client base", "2023", 2023, 4.6, "ArboNed/HumanCapitalCare via welingelichtekringen.nl", "arbodienst", "registrations, not CBS"},
	{"arbodienst", "ArboNed/HCC client base", "2024", 2024, 4.7, "ArboNed/HumanCapitalCare via welingelichtekringen.nl", "arbodienst", "registrations, not CBS"},
}

// Benchmarks returns every embedded reference figure, by key then period.
func Benchmarks() []Benchmark { return slices.Clone(benchmarks) }

// BenchmarksFor returns the reference figures with the given key, oldest
// first.
func BenchmarksFor(key string) []Benchmark {
	var out []Benchmark
	for _, b := range benchmarks {
		if b.Key == key {
			out = append(out, b)
		}
	}
	return out
}

// NationalZVP returns the CBS national absence rate of a calendar year.
func NationalZVP(year int) (Benchmark, bool) {
	for _, b := range benchmarks {
		if b.Key == "national" && b.Year == year && b.Quarter() == 0 {
			return b, true
		}
	}
	return Benchmark{}, false
}

// Quarter is the quarter (1–4) a quarterly figure covers, 0 for an annual one.
func (b Benchmark) Quarter() int {
	_, q, ok := strings.Cut(b.Period, "-Q")
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(q)
	return n
}

// Comparable returns the reference figure with the given key that covers
// the same kind of period as [from, to], nearest in time (the latest of
// equally near ones): for a calendar quarter a figure of the same quarter
// (a Q1 rate has the flu season in it), for a year or more an annual
// figure. Other periods (a month, half a year) have no comparable figure.
// Benchmark.Quarter says which kind was found.
func Comparable(key string, from, to time.Time) (Benchmark, bool) {
	quarter := 0
	switch {
	case from.Day() == 1 && (from.Month()-1)%3 == 0 && to.Equal(from.AddDate(0, 3, -1)):
		quarter = int(from.Month()-1)/3 + 1
	case !to.Before(from.AddDate(1, 0, -1)):
	default:
		return Benchmark{}, false
	}
	year := to.Year()
	var best Benchmark
	found := false
	for _, b := range BenchmarksFor(key) {
		if b.Quarter() != quarter {
			continue
		}
		if !found || abs(b.Year-year) < abs(best.Year-year) || (abs(b.Year-year) == abs(best.Year-year) && b.Period > best.Period) {
			best, found = b, true
		}
	}
	return best, found
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
