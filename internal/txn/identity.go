package txn

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
)

// Identity is who is making a change: the handle written to the timeline
// and the signature of the commit.
type Identity struct {
	Handle    string
	Author    gitstore.Signature
	Committer gitstore.Signature
}

// Whoami resolves who is making a change: by (--by, or SEV_USER), else
// git's user.name/user.email (gitName, gitEmail), mapped to a person of
// sev.yaml where one matches; a name unknown to sev.yaml is used as it is.
// The committer is git's identity when there is one.
func Whoami(s *config.Settings, by, gitName, gitEmail string, now time.Time) (Identity, error) {
	if badIdent(by) {
		return Identity{}, &InputError{fmt.Sprintf("%q cannot be a name: it must not contain <, > or control characters (--by or SEV_USER)", by)}
	}
	var id Identity
	id.Committer = gitstore.Signature{Name: gitName, Email: gitEmail, When: now}
	switch {
	case by != "":
		if p, ok := s.Person(by); ok && !badIdent(p.Name) && !badIdent(p.Email) {
			id.Handle = p.Handle
			id.Author = gitstore.Signature{Name: cmp.Or(p.Name, p.Handle), Email: cmp.Or(p.Email, p.Handle+"@sev.invalid"), When: now}
		} else {
			id.Handle = by
			id.Author = gitstore.Signature{Name: by, Email: handleEmail(by), When: now}
		}
	case gitEmail != "" || gitName != "":
		id.Author = id.Committer
		id.Handle = handleFor(s, gitName, gitEmail)
	default:
		return id, &InputError{"who is making this change? pass --by NAME, set SEV_USER, or set git's user.name and user.email"}
	}
	if id.Committer.Name == "" && id.Committer.Email == "" {
		id.Committer = id.Author
	}
	return id, nil
}

func handleEmail(by string) string {
	if strings.Contains(by, "@") {
		return by
	}
	return by + "@sev.invalid"
}

// handleFor maps a git identity to a person of sev.yaml, or derives a
// handle from the email's local part (alice@example.com → alice).
func handleFor(s *config.Settings, name, email string) string {
	if p, ok := s.Person(email); ok {
		return p.Handle
	}
	if local, _, ok := strings.Cut(email, "@"); ok && local != "" {
		return incident.Slug(local)
	}
	return incident.Slug(name)
}

// badIdent reports characters git refuses in an author name or email:
// angle brackets and control characters (a newline would even start a
// new header line in the commit object).
func badIdent(s string) bool {
	for _, r := range s {
		if r == '<' || r == '>' || r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// InputError is a name that cannot sign a commit, or no name at all: the
// command line exits 2 on it.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }
