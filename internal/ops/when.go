package ops

import (
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// At reads when something happened, as a person gives it with --at: an
// RFC 3339 time with an offset. "" means now (the zero time).
func At(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := yamlfile.ParseTime(s)
	if err != nil {
		return t, inputf("--at: %v", err)
	}
	if t.Year() < 1970 {
		return t, inputf("--at %s is not a plausible time", s)
	}
	return t, nil
}

// Instant reads the value of the option named name: an RFC 3339 time,
// or a date (its midnight in loc).
func Instant(name, v string, loc *time.Location) (time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
		return d, nil
	}
	t, err := yamlfile.ParseTime(v)
	if err != nil {
		return t, inputf("--%s: %v", name, err)
	}
	return t, nil
}

// Day reads the value of the option named name that must be a day,
// YYYY-MM-DD, as the midnight that starts it in loc.
func Day(name, v string, loc *time.Location) (time.Time, error) {
	t, err := config.ParseDate(v, loc)
	if err != nil {
		return t, inputf("--%s: %v", name, err)
	}
	return t, nil
}

// Window reads a --from/--to window (dates in loc, or RFC 3339 times).
func Window(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	f, err := Instant("from", from, loc)
	if err != nil {
		return f, f, err
	}
	t, err := Instant("to", to, loc)
	if err != nil {
		return f, t, err
	}
	return f, t, CheckWindow(f, t)
}

// WindowOr reads a --from/--to window where either bound may be left out
// for its default, defFrom and defTo.
func WindowOr(from, to string, loc *time.Location, defFrom, defTo time.Time) (f, t time.Time, err error) {
	f, t = defFrom, defTo
	if from != "" {
		if f, err = Instant("from", from, loc); err != nil {
			return f, t, err
		}
	}
	if to != "" {
		if t, err = Instant("to", to, loc); err != nil {
			return f, t, err
		}
	}
	return f, t, CheckWindow(f, t)
}

// CheckWindow keeps a window to what a person can read: it must end
// after it starts and span at most three years.
func CheckWindow(from, to time.Time) error {
	if !to.After(from) {
		return inputf("--to must be after --from")
	}
	if to.Sub(from) > 3*366*24*time.Hour {
		return inputf("--from to --to spans more than three years; ask for a shorter window")
	}
	return nil
}
