package analytics

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Logistic regression by iteratively reweighted least squares (Fisher
// scoring, as R's glm(family = binomial)): the propensity model of the
// landmark IPW estimate. The normal equations are solved by Cholesky
// (gonum).

// ErrLogisticNoConverge: the fit did not converge in 25 iterations (R's
// glm.control default), as happens with (quasi-)separation.
// ErrLogisticSingular: a covariate without variation.
var (
	ErrLogisticNoConverge = errors.New("logistic: no convergence")
	ErrLogisticSingular   = errors.New("logistic: singular information matrix (a covariate without variation)")
)

// FitLogistic returns the coefficients, the intercept first, of
// P(y) = 1 / (1 + exp(−(b0 + x·b))) with optional case weights w.
func FitLogistic(x [][]float64, y []bool, w []float64) ([]float64, error) {
	n := len(y)
	if n == 0 {
		return nil, errors.New("logistic: no rows")
	}
	p := len(x[0]) + 1
	beta := make([]float64, p)
	dev := math.Inf(1)
	row := make([]float64, p)
	for iter := 0; iter < 25; iter++ {
		info := mat.NewSymDense(p, nil)
		score := mat.NewVecDense(p, nil)
		newDev := 0.0
		for i := range n {
			row[0] = 1
			copy(row[1:], x[i])
			eta := 0.0
			for j := range p {
				eta += row[j] * beta[j]
			}
			mu := 1 / (1 + math.Exp(-eta))
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			yi := 0.0
			if y[i] {
				yi = 1
			}
			v := wi * mu * (1 - mu)
			for j := range p {
				score.SetVec(j, score.AtVec(j)+wi*(yi-mu)*row[j])
				for k := j; k < p; k++ {
					info.SetSym(j, k, info.At(j, k)+v*row[j]*row[k])
				}
			}
			if y[i] {
				newDev -= 2 * wi * math.Log(mu)
			} else {
				newDev -= 2 * wi * math.Log(1-mu)
			}
		}
		// glm's test: |dev − dev_old| / (|dev| + 0.1) < 1e-8
		if math.Abs(newDev-dev)/(math.Abs(newDev)+0.1) < 1e-8 {
			return beta, nil
		}
		dev = newDev
		var chol mat.Cholesky
		if !chol.Factorize(info) {
			return nil, ErrLogisticSingular
		}
		step := mat.NewVecDense(p, nil)
		if err := chol.SolveVecTo(step, score); err != nil {
			return nil, ErrLogisticSingular
		}
		for j := range p {
			beta[j] += step.AtVec(j)
		}
	}
	return nil, ErrLogisticNoConverge
}
