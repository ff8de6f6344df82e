package speed

import (
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// Child runs cmd to its end and returns its wall time and its peak resident
// memory in bytes: the maximum RSS that /usr/bin/time reports, from the
// child's resource usage (Linux counts it in kilobytes).
func Child(cmd *exec.Cmd) (time.Duration, int64, error) {
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		return took, 0, fmt.Errorf("%s: %w\n%s", cmd, err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return took, 0, errors.New("the system gives no resource usage of a child process")
	}
	return took, ru.Maxrss * 1024, nil
}
