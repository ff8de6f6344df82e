package datasets
import ("testing";"time")
func TestSeeds(t *testing.T){
  for seed := uint64(1); seed <= 6; seed++ {
    es := collect(t, Config{Employees: 3000, Seed: seed})
    t.Logf("seed %d\n%s", seed, computeStats(es, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)))
  }
}
