package speed

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// peakMarker starts the line in which a child process reports its peak
// resident memory (ReportPeak).
const peakMarker = "absence-speed-peak-rss-kb: "

// ReportPeakEnv is set in the environment of a child that Child runs: such
// a child calls ReportPeak at its end.
const ReportPeakEnv = "ABSENCE_SPEED_REPORT_PEAK"

// Child runs cmd to its end and returns its wall time and its peak resident
// memory in bytes, as the child reports it at its end (ReportPeak).
//
// Not from the child's resource usage (what /usr/bin/time prints): Go
// starts a child on its parent's memory until the child execs, and Linux
// counts the parent's resident memory of that moment as the child's
// maximum, so a child of a test process that holds 1.4 GB "peaked" at
// 1.4 GB whatever it did.
func Child(cmd *exec.Cmd) (time.Duration, int64, error) {
	cmd.Env = append(cmd.Environ(), ReportPeakEnv+"=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		return took, 0, fmt.Errorf("%s: %w\n%s", cmd, err, out)
	}
	peak, err := Peak(out)
	if err != nil {
		return took, 0, fmt.Errorf("%s: %w", cmd, err)
	}
	return took, peak, nil
}

// Peak is the peak resident memory in bytes that a child reported in its
// output (ReportPeak), whether or not it succeeded.
func Peak(out []byte) (int64, error) {
	i := bytes.LastIndex(out, []byte(peakMarker))
	if i < 0 {
		return 0, errors.New("the child did not report its peak memory (speed.ReportPeak)")
	}
	line, _, _ := strings.Cut(string(out[i+len(peakMarker):]), "\n")
	kb, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("its peak memory %q: %w", line, err)
	}
	return kb * 1024, nil
}

// ReportPeak writes the process's peak resident memory (VmHWM, which
// starts anew when a process execs) for Child, at the end of a child.
func ReportPeak(w io.Writer) error {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			_, err := fmt.Fprintf(w, "\n%s%s\n", peakMarker, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return errors.New("/proc/self/status has no VmHWM")
}
