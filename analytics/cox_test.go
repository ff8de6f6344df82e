package analytics

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// Reference values from R 4 with survival 3.5.3, printed with 15 digits:
//
//	library(survival)
//	l <- lung[!is.na(lung$ph.ecog), c("time","status","age","sex","ph.ecog")]
//	names(l)[5] <- "ph_ecog"; l$status <- l$status - 1
//	l$w <- 0.5 + (seq_len(nrow(l)) %% 4) / 2
//	h <- heart[, c("id","start","stop","event","age","year","surgery","transplant")]
//	h$transplant <- as.integer(as.character(h$transplant))
//	# (written to datasets/fixtures/reference/lung.csv and heart.csv)
//	coxph(Surv(time, status) ~ age + sex + ph_ecog, data=l)                     # lung efron
//	coxph(Surv(time, status) ~ age + sex + ph_ecog, data=l, ties="breslow")     # lung breslow
//	coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data=h) # heart efron
//	coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data=h, ties="breslow")
//	coxph(Surv(time, status) ~ age + sex + ph_ecog, data=l, weights=w, robust=TRUE)  # + ties="breslow"
//	coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data=h, cluster=id)
//	coxph(Surv(time, status) ~ age + ph_ecog + strata(sex), data=l)
//
// coef, sqrt(diag(vcov)) (the robust one when robust), sqrt(diag(naive.var))
// and loglik (at β = 0 and at the fit).
var coxReferences = []struct {
	name       string
	file       string
	counting   bool
	covariates []string
	ties       CoxTies
	weighted   bool
	cluster    bool
	strata     string
	coef, se   []float64
	robustSE   []float64
	ll0, ll    float64
}{
	{name: "lung efron", file: "lung", covariates: []string{"age", "sex", "ph_ecog"}, ties: Efron,
		coef: []float64{1.10667645600735e-02, -5.52612395703631e-01, 4.63728475370428e-01},
		se:   []float64{9.26741101370053e-03, 1.67739053787264e-01, 1.13577266161997e-01},
		ll0:  -7.44480455761440e+02, ll: -7.29230121374862e+02},
	{name: "lung breslow", file: "lung", covariates: []string{"age", "sex", "ph_ecog"}, ties: Breslow,
		coef: []float64{1.10411363494885e-02, -5.51889569787597e-01, 4.62947040590164e-01},
		se:   []float64{9.26677011353555e-03, 1.67742448021018e-01, 1.13574052061301e-01},
		ll0:  -7.44692819266161e+02, ll: -7.29488705176774e+02},
	{name: "heart efron", file: "heart", counting: true, covariates: []string{"age", "year", "surgery", "transplant"}, ties: Efron,
		coef: []float64{0.0271666409576767, -0.1463463456741959, -0.6372098899669668, -0.0102507724090828},
		se:   []float64{0.0137141152103185, 0.0704679795188561, 0.3672259961803245, 0.3137547983374912},
		ll0:  -298.1213556729842935, ll: -290.5656162184894242},
	{name: "heart breslow", file: "heart", counting: true, covariates: []string{"age", "year", "surgery", "transplant"}, ties: Breslow,
		coef: []float64{0.0271520807645268, -0.1461157500025985, -0.6358434755981516, -0.0118958509638206},
		se:   []float64{0.0137211312396094, 0.0704657060509134, 0.3672106957370672, 0.3136443767411728},
		ll0:  -298.3256067364624755, ll: -290.7945346476734585},
	{name: "lung weighted robust efron", file: "lung", covariates: []string{"age", "sex", "ph_ecog"}, ties: Efron, weighted: true,
		coef:     []float64{3.57468875622809e-03, -5.92335015453162e-01, 5.69390391197523e-01},
		robustSE: []float64{1.02898807854507e-02, 1.67980131088766e-01, 1.28290856791104e-01},
		se:       []float64{0.00855589096435653, 0.14781271857016046, 0.10372467782154163},
		ll0:      -9.92549927937563e+02, ll: -9.69135548383870e+02},
	{name: "lung weighted robust breslow", file: "lung", covariates: []string{"age", "sex", "ph_ecog"}, ties: Breslow, weighted: true,
		coef:     []float64{3.55830419182133e-03, -5.91646785235130e-01, 5.68215054088622e-01},
		robustSE: []float64{1.02587846701499e-02, 1.67649311798250e-01, 1.28004254654368e-01},
		se:       []float64{0.00855351136362489, 0.14782013664619337, 0.10371245170020565},
		ll0:      -9.92879904247944e+02, ll: -9.69550988150374e+02},
	{name: "heart cluster id efron", file: "heart", counting: true, covariates: []string{"age", "year", "surgery", "transplant"}, ties: Efron, cluster: true,
		coef:     []float64{0.0271666409576767, -0.1463463456741959, -0.6372098899669668, -0.0102507724090828},
		robustSE: []float64{0.0138918929240809, 0.0730798592393642, 0.3582102023844259, 0.3168823490624897},
		se:       []float64{0.0137141152103185, 0.0704679795188561, 0.3672259961803245, 0.3137547983374912},
		ll0:      -298.1213556729842935, ll: -290.5656162184894242},
	{name: "lung strata sex efron", file: "lung", covariates: []string{"age", "ph_ecog"}, ties: Efron, strata: "sex",
		coef: []float64{1.05662546009495e-02, 4.62424434358291e-01},
		se:   []float64{9.24137389309218e-03, 1.14761097854804e-01},
		ll0:  -6.38509764984236e+02, ll: -6.28770939501205e+02},
}

func TestCoxMatchesR(t *testing.T) {
	for _, ref := range coxReferences {
		t.Run(ref.name, func(t *testing.T) {
			cols := readReference(t, ref.file)
			d := CoxData{Stop: cols["time"], Event: asEvents(cols["status"])}
			if ref.counting {
				d.Start, d.Stop, d.Event = cols["start"], cols["stop"], asEvents(cols["event"])
			} else {
				d.Start = make([]float64, len(d.Stop))
			}
			for i := range d.Stop {
				var x []float64
				for _, c := range ref.covariates {
					x = append(x, cols[c][i])
				}
				d.X = append(d.X, x)
			}
			if ref.weighted {
				d.Weight = cols["w"]
			}
			if ref.cluster {
				for _, id := range cols["id"] {
					d.Cluster = append(d.Cluster, int(id))
				}
			}
			if ref.strata != "" {
				for _, s := range cols[ref.strata] {
					d.Strata = append(d.Strata, int(s))
				}
			}
			fit, err := FitCox(d, CoxOptions{Ties: ref.ties, Robust: ref.weighted || ref.cluster})
			if err != nil {
				t.Fatal(err)
			}
			near := func(what string, got, want float64) {
				t.Helper()
				if math.Abs(got-want) > 1e-6 {
					t.Errorf("%s = %.12g, R %.12g (diff %.2g)", what, got, want, got-want)
				}
			}
			for j, c := range ref.covariates {
				near("coef "+c, fit.Coef[j], ref.coef[j])
				near("se "+c, fit.SE[j], ref.se[j])
				if ref.robustSE != nil {
					near("robust se "+c, fit.RobustSE[j], ref.robustSE[j])
				}
			}
			near("loglik0", fit.LogLik0, ref.ll0)
			near("loglik", fit.LogLik, ref.ll)
			// a warm start (coxph's init) halfway lands on the same fit
			init := make([]float64, len(fit.Coef))
			for j, c := range fit.Coef {
				init[j] = c / 2
			}
			warm, err := FitCox(d, CoxOptions{Ties: ref.ties, Robust: ref.weighted || ref.cluster, Init: init})
			if err != nil {
				t.Fatal(err)
			}
			for j, c := range ref.covariates {
				near("warm coef "+c, warm.Coef[j], ref.coef[j])
				near("warm se "+c, warm.StdErr()[j], fit.StdErr()[j])
			}
			near("warm loglik", warm.LogLik, ref.ll)
		})
	}
}

// A fit without events, or with a covariate that never varies, is an error,
// not numbers.
func TestCoxRefuses(t *testing.T) {
	d := CoxData{Start: []float64{0, 0, 0}, Stop: []float64{1, 2, 3}, Event: []bool{false, false, false}, X: [][]float64{{1}, {0}, {1}}}
	if _, err := FitCox(d, CoxOptions{}); err != ErrCoxNoEvents {
		t.Errorf("no events: %v", err)
	}
	d.Event = []bool{true, true, false}
	d.X = [][]float64{{1}, {1}, {1}}
	if _, err := FitCox(d, CoxOptions{}); err != ErrCoxSingular {
		t.Errorf("constant covariate: %v", err)
	}
}

// readReference reads datasets/fixtures/reference/NAME.csv into columns.
func readReference(t *testing.T, name string) map[string][]float64 {
	t.Helper()
	f, err := os.Open("../datasets/fixtures/reference/" + name + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]float64{}
	for _, r := range recs[1:] {
		for j, h := range recs[0] {
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				t.Fatalf("%s.csv: %v", name, err)
			}
			cols[h] = append(cols[h], v)
		}
	}
	return cols
}

func asEvents(v []float64) []bool {
	out := make([]bool, len(v))
	for i, x := range v {
		out[i] = x == 1
	}
	return out
}
