package ghaction

import (
	"fmt"
	"regexp"
)

// PublishedAction is where sev's action is published: the repository whose
// root holds action.yml.
const PublishedAction = "sev-dev/sev"

var (
	releaseRef = regexp.MustCompile(`^([0-9a-f]{40}|v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$`)
	fullCommit = regexp.MustCompile(`^[0-9a-f]{40}$`)
	// localUse matches a step that uses the action at the root of the
	// checked-out repository, with or without the list item's dash.
	localUse = regexp.MustCompile(`(?m)^([ \t]*(?:-[ \t]+)?uses:[ \t]*)\./[ \t]*$`)
)

// UsePinned rewrites a workflow shipped under .github/workflows for a
// repository other than sev's own. In sev's repository the workflows use
// the action from the checked-out commit (uses: ./), so every change to
// action.yml runs in its own pull request; elsewhere there is no action.yml
// at the root, and each such step uses sev-dev/sev at commit instead,
// with the release tag it was resolved from (if any) as a comment — the
// way the workflows pin every other action: a tag can be moved, a commit
// id cannot.
func UsePinned(workflow []byte, commit, tag string) ([]byte, error) {
	if !fullCommit.MatchString(commit) {
		return nil, fmt.Errorf("ghaction: %q is not a full commit id", commit)
	}
	if tag != "" && !IsRelease(tag) {
		return nil, fmt.Errorf("ghaction: %q is not a release tag such as v1.2.3", tag)
	}
	use := PublishedAction + "@" + commit
	if tag != "" {
		use += " # " + tag
	}
	return localUse.ReplaceAll(workflow, []byte("${1}"+use)), nil
}

// IsCommit reports whether ref is a full commit id.
func IsCommit(ref string) bool { return fullCommit.MatchString(ref) }

// IsRelease reports whether ref is a release tag such as v1.2.3.
func IsRelease(ref string) bool { return releaseRef.MatchString(ref) && !fullCommit.MatchString(ref) }

// IntakeLabel marks an issue as an incident report: the issue form
// (.github/ISSUE_TEMPLATE/declare-incident.yml) sets it, the intake
// workflow starts on it, and sev github setup creates it.
const IntakeLabel = "incident"
