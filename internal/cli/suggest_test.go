package cli_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/cli"
)

// TestSuggestionsExitUsage checks that a mistyped command or flag is a
// usage error (exit 2) whose message names the likely intended one.
func TestSuggestionsExitUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"decalre"}, `did you mean "declare"?`},
		{[]string{"note", "x", "y", "--publc"}, "unknown flag: --publc; did you mean --public?"},
		{[]string{"list", "--jsn"}, "did you mean --json?"},
	} {
		var out, errOut bytes.Buffer
		code := cli.Main(tc.args, []string{"HOME=" + t.TempDir()}, strings.NewReader(""), &out, &errOut)
		if code != 2 {
			t.Errorf("sev %v: exit %d, want 2", tc.args, code)
		}
		if !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("sev %v: stderr %q lacks %q", tc.args, errOut.String(), tc.want)
		}
	}
}
