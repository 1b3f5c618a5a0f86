package ghfake

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// examplesDir holds the webhook payloads GitHub's SDK team collected from
// real deliveries (the @octokit/webhooks-examples npm package): one
// index.json per product, each an array of {name, actions, examples}.
var examplesDir = filepath.Join("node_modules", "@octokit", "webhooks-examples")

// Events returns every real webhook payload of the named event (push,
// pull_request, issues, issue_comment, …) across GitHub's products. Without
// the npm package the test is skipped, or fails when the CI variable is set.
func Events(t testing.TB, name string) []json.RawMessage {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("ghfake: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(root, examplesDir, "*", "index.json"))
	if len(files) == 0 {
		why := "ghfake: node_modules/@octokit/webhooks-examples is missing; run `npm ci` at the module root"
		if os.Getenv("CI") != "" {
			t.Fatal(why + " (CI must install it)")
		}
		t.Skip(why)
	}
	var out []json.RawMessage
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("ghfake: %v", err)
		}
		var sets []struct {
			Name     string            `json:"name"`
			Examples []json.RawMessage `json:"examples"`
		}
		if err := json.Unmarshal(data, &sets); err != nil {
			t.Fatalf("ghfake: %s: %v", f, err)
		}
		for _, s := range sets {
			if s.Name == name {
				out = append(out, s.Examples...)
			}
		}
	}
	return out
}

// Event returns a real webhook payload of the named event whose action is
// action ("" for events without one), decoded as generic JSON for a test
// to adapt: the payloads GitHub really sends, with the test's own
// repository, numbers and text put in.
func Event(t testing.TB, name, action string) map[string]any {
	t.Helper()
	for _, raw := range Events(t, name) {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("ghfake: a %s example: %v", name, err)
		}
		if a, _ := m["action"].(string); a == action {
			return m
		}
	}
	t.Fatalf("ghfake: no %s example with action %q in %s", name, action, examplesDir)
	return nil
}
