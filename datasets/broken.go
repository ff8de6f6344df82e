package datasets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MostlyBrokenPeriods writes, beside the native exports of an organisation in
// dir (WriteFiles with FormatNative) whose data runs up to extract, the upload
// of issue 9, finding 3: a periods file of six rows of which five are bad (an
// impossible date, a word for a date, no employee, an end before its start, a
// percentage of 250). Its one good row is a short case, in the month before
// extract, of an employee employed then. Imported as a snapshot, it would
// replace every case of its source with that one.
func MostlyBrokenPeriods(dir string, extract time.Time) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "employments.csv"))
	if err != nil {
		return "", err
	}
	start := extract.AddDate(0, -1, 0)
	var emp string
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Split(line, ",") // employee_id,start_date,end_date,...
		if len(f) > 2 && f[2] == "" && f[1] < start.Format(time.DateOnly) {
			emp = f[0]
			break
		}
	}
	if emp == "" {
		return "", errors.New("no employee is employed throughout the month before the extract date")
	}
	day := func(d int) string { return start.AddDate(0, 0, d).Format(time.DateOnly) }
	rows := []string{
		"employee_id,case_ref,start_date,end_date,absence_pct,absence_type,end_reason",
		fmt.Sprintf("%s,X1,%s,%s,100,sickness,full_return", emp, day(0), day(2)),
		fmt.Sprintf("%s,X2,%d-31-06,,100,sickness,", emp, start.Year()),
		fmt.Sprintf("%s,X3,gisteren,,100,sickness,", emp),
		fmt.Sprintf(",X4,%s,,100,sickness,", day(9)),
		fmt.Sprintf("%s,X5,%s,%s,100,sickness,", emp, day(11), day(10)),
		fmt.Sprintf("%s,X6,%s,,250,sickness,", emp, day(19)),
	}
	path := filepath.Join(dir, "periods_upload.csv")
	return path, os.WriteFile(path, []byte(strings.Join(rows, "\n")+"\n"), 0o644)
}
