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
	// localUse matches a step that uses the action at the root of the
	// checked-out repository, with or without the list item's dash.
	localUse = regexp.MustCompile(`(?m)^([ \t]*(?:-[ \t]+)?uses:[ \t]*)\./[ \t]*$`)
)

// UsePublished rewrites a workflow shipped under .github/workflows for a
// repository other than sev's own. In sev's repository the workflows use
// the action from the checked-out commit (uses: ./), so every change to
// action.yml runs in its own pull request; elsewhere there is no action.yml
// at the root, and each such step uses sev-dev/sev at ref instead. ref is
// a full commit id (which, like every third-party action in the workflows,
// pins the code) or a release tag such as v1.2.3.
func UsePublished(workflow []byte, ref string) ([]byte, error) {
	if !releaseRef.MatchString(ref) {
		return nil, fmt.Errorf("ghaction: %q is neither a full commit id nor a release tag such as v1.2.3", ref)
	}
	return localUse.ReplaceAll(workflow, []byte("${1}"+PublishedAction+"@"+ref)), nil
}
