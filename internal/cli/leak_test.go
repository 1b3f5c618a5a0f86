package cli_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// leakKinds of incident in a random repository.
const (
	leakValid = iota
	leakRestricted
	leakMistyped
	leakInvalid
	leakKinds
)

// TestCommandsLeakNothing builds random repositories of valid, restricted,
// mistyped-visibility and invalid incidents, each with its own marker in
// its title, summary, tags, people, note and postmortem (not in its ID,
// which the diagnostics name on purpose), and runs the read commands with
// their default flags: no marker of a restricted, mistyped or invalid
// incident may appear in what they print, and every valid incident's
// marker must (so the test can fail). sev show ID, an explicit request,
// may show a restricted incident but never one validation rejects.
func TestCommandsLeakNothing(t *testing.T) {
	env := append(gitEnv(t), "SEV_NOW=2026-03-10T12:00:00Z")
	rounds := 4
	if testing.Short() {
		rounds = 1
	}
	visibilities := []string{"Restricted", "RESTRICTED", `"restricted "`, "private", "secret", "yes", "1"}
	breakers := []func(rec, tl string) (string, string){
		func(rec, tl string) (string, string) {
			return strings.Replace(rec, "severity: 2", "severity: 300", 1), tl
		},
		func(rec, tl string) (string, string) { return rec + "visibilty: restricted\n", tl },
		func(rec, tl string) (string, string) { return rec + "impact: twice\nimpact: again\n", tl },
		func(rec, tl string) (string, string) {
			return rec, tl + "- id: 01zzzzzzzzzzzzzz\n  at: soon\n  by: x\n  type: note\n"
		},
		func(rec, tl string) (string, string) {
			return strings.Replace(rec, "status: open", "status: opne", 1), tl
		},
	}
	for seed := range rounds {
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		dir := filepath.Join(t.TempDir(), "repo")
		git(t, env, filepath.Dir(dir), "init", "-q", dir)
		if _, e, code := sev(t, env, dir, "init"); code != 0 {
			t.Fatal(e)
		}
		os.WriteFile(filepath.Join(dir, "rules", "all.yaml"), []byte("on: [declared, note-added]\nsteps:\n  - note: \"Seen: {{.Title}}\"\n"), 0o644)
		kinds := map[string]int{}
		for i := range 3 + r.IntN(5) {
			k := r.IntN(leakKinds)
			if i == 0 {
				k = leakValid
			}
			m := fmt.Sprintf("zq%dy%dk", seed, i)
			kinds[m] = k
			id := fmt.Sprintf("2026-03-%02d-incident-%d", i+1, i)
			vis := map[int]string{leakValid: "internal", leakRestricted: "restricted", leakInvalid: "internal"}[k]
			if k == leakMistyped {
				vis = visibilities[r.IntN(len(visibilities))]
			}
			rec := fmt.Sprintf("id: %s\ntitle: %s title\nseverity: 2\nstatus: open\nvisibility: %s\nsummary: %s summary\ntags: [%s-tag]\nroles: {commander: %s-cmd}\nmilestones: {declared: 2026-03-%02dT10:00:00Z}\n",
				id, m, vis, m, m, m, i+1)
			tl := fmt.Sprintf("- id: 01aaaaaaaaa%05d\n  at: 2026-03-%02dT10:00:00Z\n  by: %s-author\n  type: declared\n  status: open\n  severity: 2\n- id: 01aaaaaaaab%05d\n  at: 2026-03-%02dT10:05:00Z\n  by: %s-author\n  type: note\n  text: %s note text\n",
				i, i+1, m, i, i+1, m, m)
			if k == leakInvalid {
				rec, tl = breakers[r.IntN(len(breakers))](rec, tl)
			}
			d := filepath.Join(dir, "incidents", "2026", id)
			os.MkdirAll(d, 0o755)
			os.WriteFile(filepath.Join(d, "incident.yaml"), []byte(rec), 0o644)
			os.WriteFile(filepath.Join(d, "timeline.yaml"), []byte(tl), 0o644)
			os.WriteFile(filepath.Join(dir, "postmortems", id+".md"), []byte(fmt.Sprintf("---\nincident: %s\nstatus: draft\n---\n# Review\n\n%s postmortem\n", id, m)), 0o644)
		}
		git(t, env, dir, "add", "-A")
		git(t, env, dir, "commit", "-q", "-m", "random incidents")
		var printed strings.Builder
		run := func(args ...string) {
			out, errOut, _ := sev(t, env, dir, args...)
			printed.WriteString(out)
			printed.WriteString(errOut)
		}
		run("list")
		run("list", "--open")
		run("list", "--json")
		run("rules", "test")
		run("rules", "test", "--json")
		run("oncall")
		run("followups")
		run("tag", "--where", "status:open", "checked", "--dry-run")
		run("note", "--where", "sev:2", "Checked in the audit")
		for m := range kinds {
			run("search", m)
			run("search", m+" note")
		}
		// a bulk edit of restricted incidents too, asked for: its commit
		// names them by ID only
		sev(t, env, dir, "tag", "--where", "status:open", "audited", "--include-restricted")
		msgs := git(t, env, dir, "log", "-2", "--format=%B")
		for m := range kinds {
			if strings.Contains(msgs, m) {
				t.Errorf("seed %d: a bulk edit's commit message names %s:\n%s", seed, m, msgs)
			}
		}
		got := printed.String()
		// sev show ID is an explicit request: it shows a restricted
		// incident, never one that validation rejects
		var shown strings.Builder
		for i := range len(kinds) {
			out, errOut, _ := sev(t, env, dir, "show", fmt.Sprintf("incident-%d", i))
			shown.WriteString(out + errOut)
		}
		for m, k := range kinds {
			if (k == leakMistyped || k == leakInvalid) && strings.Contains(shown.String(), m) {
				t.Errorf("seed %d: sev show printed %s (kind %d), which validation rejects", seed, m, k)
			}
		}
		for m, k := range kinds {
			switch {
			case k == leakValid && !strings.Contains(got, m):
				t.Errorf("seed %d: valid incident %s is in no command's output", seed, m)
			case k != leakValid && strings.Contains(got, m):
				i := strings.Index(got, m)
				t.Errorf("seed %d: %s (kind %d) leaked: …%s…", seed, m, k, got[max(0, i-200):min(len(got), i+100)])
			}
		}
	}
}
