package change

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/timeline"
)

// BatchMessage is the commit message for several changes recorded as one
// commit (a bulk edit: sev tag --where ...). Its subject counts the
// incidents and says what was recorded when every change recorded the
// same and none of the incidents is restricted (restricted reports that
// of an ID); otherwise it names only the kinds of entries. The body names
// the incidents by ID alone, one Sev-Incident trailer each, so a
// restricted incident's title or text never reaches the commit.
func BatchMessage(changes []*Change, restricted func(id string) bool) string {
	what, same, secret := "", true, false
	var kinds []string
	for i, c := range changes {
		var parts []string
		for _, e := range c.Entries {
			parts = append(parts, oneLine(timeline.Describe(e)))
			if !slices.Contains(kinds, e.Type) {
				kinds = append(kinds, e.Type)
			}
		}
		d := strings.Join(parts, "; ")
		if i == 0 {
			what = d
		}
		same = same && d == what
		secret = secret || restricted(c.Incident)
	}
	if !same || secret {
		what = strings.Join(kinds, "; ")
	}
	subject := fmt.Sprintf("%d incidents: %s", len(changes), what)
	if r := []rune(subject); len(r) > 100 {
		subject = string(r[:97]) + "..."
	}
	var b strings.Builder
	b.WriteString(subject + "\n\n")
	for _, c := range changes {
		b.WriteString("Sev-Incident: " + c.Incident + "\n")
	}
	return b.String()
}

// BatchFingerprint identifies a bulk edit for the repeated-command guard:
// the fingerprints of its changes (Fingerprint), in order.
func BatchFingerprint(changes []*Change, by string) string {
	h := sha256.New()
	for _, c := range changes {
		h.Write([]byte(c.Fingerprint(by)))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// ApplyAll applies changes to different incidents on the same version
// (Apply) and merges the files they write. A change that was applied
// before is left out; when every one was, the error is ErrNothing. Any
// other failure fails the whole batch, naming the incident.
func ApplyAll(changes []*Change, s *config.Settings, read ReadFunc) (map[string][]byte, error) {
	out := map[string][]byte{}
	seen := map[string]bool{}
	for _, c := range changes {
		if seen[c.Incident] {
			return nil, fmt.Errorf("%s: changed twice in one batch", c.Incident)
		}
		seen[c.Incident] = true
		files, err := c.Apply(s, read)
		if errors.Is(err, ErrNothing) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Incident, err)
		}
		maps.Copy(out, files)
	}
	if len(out) == 0 {
		return nil, ErrNothing
	}
	return out, nil
}
