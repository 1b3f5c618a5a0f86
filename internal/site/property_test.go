package site

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// kind of incident a random repository holds.
type incKind int

const (
	validPublic incKind = iota
	validInternal
	restricted
	mistyped // a visibility validate rejects: must be treated as restricted
	invalid  // any other error validate reports: must be left out
	nKinds
)

var mistypedVisibilities = []string{"Restricted", "RESTRICTED", `"restricted "`, "private", "secret", "yes", "1", `""restricted""`, "Public", "INTERNAL"}

// invalidities each make an otherwise good record fail validation; the
// record is written with %[1]s as its ID and %[2]s as its marker.
var invalidities = []func(rec, tl string) (string, string){
	func(rec, tl string) (string, string) {
		return strings.Replace(rec, "severity: 2", "severity: 300", 1), tl
	},
	func(rec, tl string) (string, string) { return rec + "visibilty: restricted\n", tl },
	func(rec, tl string) (string, string) {
		return strings.Replace(rec, "status: open", "status: opne", 1), tl
	},
	func(rec, tl string) (string, string) {
		return rec + "links:\n  - {kind: chat, url: 'javascript:alert(1)'}\n", tl
	},
	func(rec, tl string) (string, string) {
		return strings.Replace(rec, "title: ", "title: \"\\e[2J\" ", 1), tl
	},
	func(rec, tl string) (string, string) {
		return rec, tl + "- id: 01zzzzzzzzzzzzzz\n  at: not-a-time\n  by: x\n  type: note\n"
	},
	func(rec, tl string) (string, string) {
		return rec, tl + "- id: 01zzzzzzzzzzzzzz\n  at: 2026-03-01T10:00:00Z\n  by: x\n  type: bogus\n"
	},
	func(rec, tl string) (string, string) { return rec + "impact: again\n", tl },
	func(rec, tl string) (string, string) { return rec + strings.Repeat("# padding\n", 8000), tl },
	func(rec, tl string) (string, string) { return "--- \n" + rec + "---\nid: x\n", tl },
}

// TestRandomRepositoriesLeakNothing builds random repositories of valid,
// restricted, mistyped and invalid incidents, each carrying its own marker
// in every field, a public note, a postmortem and an attachment, and
// asserts that no byte of a marker of a restricted, mistyped or invalid
// incident reaches any file of the public build (search index included),
// that no internal incident reaches the status page or its feed, and —
// so the test can fail — that every valid incident's marker does reach it.
func TestRandomRepositoriesLeakNothing(t *testing.T) {
	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	for seed := range rounds {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		files := map[string]string{"sev.yaml": testSettings}
		kinds := map[string]incKind{}
		n := 3 + r.IntN(6)
		for i := range n {
			k := incKind(r.IntN(int(nKinds)))
			if i == 0 {
				k = validPublic // something is always built
			}
			marker := fmt.Sprintf("zq%dx%dk", seed, i)
			kinds[marker] = k
			id := fmt.Sprintf("2026-02-%02d-incident-%s", i+1, marker)
			vis := map[incKind]string{validPublic: "public", validInternal: "internal", restricted: "restricted", invalid: "public"}[k]
			if k == mistyped {
				vis = mistypedVisibilities[r.IntN(len(mistypedVisibilities))]
			}
			rec := fmt.Sprintf("id: %[1]s\ntitle: '%[2]s title <b>x</b>'\nseverity: 2\nstatus: open\nvisibility: %[3]s\nimpact: '%[2]s impact'\ntags: [%[2]s-tag]\nservices: [%[2]s-svc]\nroles: {commander: %[2]s-cmd}\nmilestones: {declared: 2026-02-%02[4]dT10:00:00Z}\n",
				id, marker, vis, i+1)
			tl := fmt.Sprintf("- id: 01aaaaaaaaa%05d\n  at: 2026-02-%02dT10:05:00Z\n  by: %s-author\n  type: note\n  text: '%s public note'\n  public: true\n", i, i+1, marker, marker)
			if k == invalid {
				rec, tl = invalidities[r.IntN(len(invalidities))](rec, tl)
			}
			for p, c := range incidentFiles(id, rec, tl) {
				files[p] = c
			}
			files["postmortems/"+id+".md"] = fmt.Sprintf("---\nincident: %s\nstatus: draft\nauthors: [%s-pm]\n---\n# Review\n\n%s postmortem text\n", id, marker, marker)
			files["incidents/2026/"+id+"/attachments/"+marker+"-notes.log"] = marker + " attachment text\n"
		}
		out, _ := build(t, repo(t, files), Options{BaseURL: "https://example.github.io/incidents/"})
		seen := map[string]bool{}
		onStatus := map[string]bool{}
		for p, data := range tree(t, out) {
			data = bytes.ToLower(gunzipped(t, data))
			for marker := range kinds {
				if bytes.Contains(data, []byte(marker)) || strings.Contains(strings.ToLower(p), marker) {
					seen[marker] = true
					if k := kinds[marker]; k != validPublic && k != validInternal {
						t.Logf("seed %d: %s in %s", seed, marker, p)
					}
					if strings.HasPrefix(p, "status/") {
						onStatus[marker] = true
					}
				}
			}
		}
		for marker, k := range kinds {
			switch {
			case (k == validPublic || k == validInternal) && !seen[marker]:
				t.Errorf("seed %d: valid incident %s (kind %d) is not in the build", seed, marker, k)
			case k != validPublic && k != validInternal && seen[marker]:
				t.Errorf("seed %d: incident %s of kind %d (restricted, mistyped or invalid) leaked into the build", seed, marker, k)
			case k == validInternal && onStatus[marker]:
				t.Errorf("seed %d: internal incident %s is on the status page", seed, marker)
			case k == validPublic && !onStatus[marker]:
				t.Errorf("seed %d: public incident %s is not on the status page", seed, marker)
			}
		}
	}
}
