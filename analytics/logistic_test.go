package analytics

import (
	"math"
	"testing"
)

// R 4: l <- read.csv("datasets/fixtures/reference/lung.csv")
//
//	coef(glm(I(sex==2) ~ age + ph_ecog + time, family=binomial, data=l))
//	coef(glm(I(sex==2) ~ age + ph_ecog, family=binomial, data=l, weights=w))
func TestLogisticMatchesR(t *testing.T) {
	cols := readReference(t, "lung")
	var x, xw [][]float64
	var y []bool
	for i := range cols["sex"] {
		x = append(x, []float64{cols["age"][i], cols["ph_ecog"][i], cols["time"][i]})
		xw = append(xw, []float64{cols["age"][i], cols["ph_ecog"][i]})
		y = append(y, cols["sex"][i] == 2)
	}
	for _, c := range []struct {
		name string
		x    [][]float64
		w    []float64
		want []float64
	}{
		{"unweighted", x, nil, []float64{0.839109991811161415, -0.027474418665177500, 0.080486351996773425, 0.001202713599061971}},
		{"weighted", xw, cols["w"], []float64{1.6170537990040255, -0.0327936693546073, 0.0252777808657487}},
	} {
		got, err := FitLogistic(c.x, y, c.w)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for j := range c.want {
			if math.Abs(got[j]-c.want[j]) > 1e-6 {
				t.Errorf("%s: coef %d = %.12g, R %.12g", c.name, j, got[j], c.want[j])
			}
		}
	}
}
