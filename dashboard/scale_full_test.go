//go:build scale

package dashboard

import (
	"fmt"
	"os"
	"testing"

	"github.com/verzuim/absence/datasets/speed"
)

// TestScale is the scale benchmark of issue 12: by default a provider with
// 2,000 employers of 50–1,000 employees (about 500k employees), 3 rounds.
// Knobs: ABSENCE_SCALE_EMPLOYERS, ABSENCE_SCALE_MIN, ABSENCE_SCALE_MAX,
// ABSENCE_SCALE_ROUNDS, ABSENCE_SCALE_SEED, and ABSENCE_SCALE_DIR (a folder
// to write to and keep; by default a temp folder). It prints a Markdown
// table:
//
//	ABSENCE_SCALE_EMPLOYERS=100 go test -tags scale -run TestScale$ -timeout 3h -v ./dashboard/
func TestScale(t *testing.T) {
	knob := func(name string, def int) int { return speed.Knob(t, name, def) }
	cfg := scaleConfig{employers: knob("ABSENCE_SCALE_EMPLOYERS", 2000), minSize: knob("ABSENCE_SCALE_MIN", 50), maxSize: knob("ABSENCE_SCALE_MAX", 1000),
		rounds: knob("ABSENCE_SCALE_ROUNDS", 3), seed: uint64(knob("ABSENCE_SCALE_SEED", 12)), subjects: []int{0, -1}, dir: os.Getenv("ABSENCE_SCALE_DIR")}
	r := runScale(t, cfg)
	fmt.Println(r.markdown())
}
