package datasets

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// Random draws shared by the simulation.

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// fakeBSN returns 9 digits that fail the elfproef, which every real BSN passes.
func fakeBSN(r *rand.Rand) string {
	for {
		n := 100000000 + r.IntN(900000000)
		var b [9]byte
		strconv.AppendInt(b[:0], int64(n), 10)
		sum := 0
		for k := range 8 {
			sum += (9 - k) * int(b[k]-'0')
		}
		sum -= int(b[8] - '0')
		if sum%11 != 0 {
			return string(b[:])
		}
	}
}

// gammaMean1 draws from a gamma distribution with the given shape and mean 1
// (Marsaglia–Tsang, boosted for shape < 1).
func gammaMean1(r *rand.Rand, shape float64) float64 {
	boost := 1.0
	k := shape
	if k < 1 {
		boost = math.Pow(r.Float64(), 1/k)
		k++
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v * boost / shape
		}
	}
}

func pickWeighted(r *rand.Rand, w []float64) int {
	u := r.Float64()
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}
