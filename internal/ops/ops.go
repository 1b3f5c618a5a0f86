// Package ops turns what someone asks for — declare an incident, add a
// note, change the status, page a rotation — into the change.Change that
// records it. Every way into sev uses it: the command line, ChatOps
// comments, issue intake and automation rules, so a /sev comment and the
// sev command it stands for make the same entries and refuse the same
// mistakes. It reads nothing but what Env gives it and writes nothing;
// package txn commits the change.
package ops

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
)

// Env is what an operation needs besides its request.
type Env struct {
	Settings *config.Settings
	// FS is the working tree: declare reads the IDs taken, attach the
	// files there.
	FS fs.FS
	// Now is the moment of the change.
	Now time.Time
	// NewID makes entry IDs; nil makes them from the clock. ChatOps and
	// intake derive them from the comment or issue, so handling the same
	// event twice records nothing twice.
	NewID func() string
	// Rotations reads rotations/, for paging and --oncall.
	Rotations func() ([]*rotation.Rotation, error)
	// Warn receives what does not stop the operation (a rotation with
	// nobody on call); nil discards it.
	Warn func(format string, args ...any)
}

// Incident is an incident as it is now: the target of a change.
type Incident struct {
	Record  *incident.Incident
	Entries []timeline.Entry
}

// InputError is a mistake in what was asked (an unknown status, a
// malformed flag value): the command line exits 2 on it and shows usage.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

func inputf(format string, args ...any) error {
	return &InputError{msg: fmt.Sprintf(format, args...)}
}

// Inputf makes an InputError, for the mistakes in a request that are
// found outside this package (a period that ends before it starts).
func Inputf(format string, args ...any) error { return inputf(format, args...) }

// IsInput reports whether err is an InputError.
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Entry starts a timeline entry by by, of type typ, now or at the
// back-dated time at (zero: now). A back-dated entry keeps when it was
// recorded.
func (e *Env) Entry(by, typ string, at time.Time) (timeline.Entry, error) {
	now := e.Now.UTC().Truncate(time.Second)
	id := ""
	if e.NewID != nil {
		id = e.NewID()
	} else {
		id = timeline.NewID(e.Now)
	}
	out := timeline.Entry{ID: id, At: now, By: by, Type: typ}
	if at.IsZero() {
		return out, nil
	}
	if at.Year() < 1970 {
		return out, inputf("--at %s is not a plausible time", at.Format(time.RFC3339))
	}
	if at.After(now.Add(time.Minute)) {
		return out, inputf("--at %s is in the future (it is %s now); --at back-dates what already happened", at.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	out.At, out.Recorded = at, now
	return out, nil
}

func (e *Env) warn(format string, args ...any) {
	if e.Warn != nil {
		e.Warn(format, args...)
	}
}
