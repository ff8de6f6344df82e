package widgets

import "testing"

func TestNumbersFollowTheLanguage(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name, got, want string
	}{
		{"pct nl", Pct("nl", f(5.2349)), "5,2%"},
		{"euro nl", Euro("nl", f(58344.6)), "€ 58.345"},
		{"euro en", Euro("en", f(1234567)), "€1,234,567"},
		{"euro negative", Euro("nl", f(-1200)), "€ −1.200"},
		{"pct en", Pct("en", f(5.2349)), "5.2%"},
		{"pct rounds half away", Pct("nl", f(30.35)), "30,4%"},
		{"pct none", Pct("en", nil), "–"},
		{"num nl", Num("nl", f(4.9512), 2), "4,95"},
		{"num en", Num("en", f(4.9512), 2), "4.95"},
		{"num no decimals", Num("nl", f(41.6), 0), "42"},
		{"num half up", Num("en", f(2.5), 0), "3"},
		{"num negative", Num("nl", f(-3.25), 1), "-3,3"},
		{"num negative zero", Num("en", f(-0.004), 2), "0.00"},
		{"num none", Num("nl", nil, 2), "–"},
		{"count", Count(new(int64(1234))), "1234"},
		{"count none", Count(nil), "–"},
		{"p nl", P("nl", 0.0081), "0,008"},
		{"p en", P("en", 0.149), "0.149"},
		{"p tiny nl", P("nl", 0.0000004), "< 0,001"},
		{"p tiny en", P("en", 0), "< 0.001"},
		{"interval", Between(Num("nl", f(1.1), 1), Num("nl", f(6.5), 1)), "1,1 – 6,5"},
		{"interval collapses", Between(Num("nl", f(5), 0), Num("nl", f(5.2), 0)), "5"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}
