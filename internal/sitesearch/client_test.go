package sitesearch

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/searchtext"
)

// The client's tests run the real search.js under node against an index
// written to a temporary folder, through a fetch that reads its files.

type clientQuery struct {
	Q    string         `json:"q"`
	Opts map[string]any `json:"opts,omitempty"`
}

type part struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit"`
}

type clientResult struct {
	Results []struct {
		ID, URL, Title string
		TitleParts     []part
		Date           string
		Severity       int
		SevName        string
		Status         string
		Tags           []string
		Section        string
		Snippet        []part
	}
	Total   int
	Approx  bool
	AnyWord bool
	Ms      float64
	WarmMs  float64
	Fetched [][2]any
	Error   string
}

func (r clientResult) ids() []string {
	var out []string
	for _, x := range r.Results {
		out = append(out, x.ID)
	}
	return out
}

// coldBytes is what the query fetched from the index.
func (r clientResult) coldBytes() int {
	n := 0
	for _, f := range r.Fetched {
		n += int(f[1].(float64))
	}
	return n
}

func writeIndex(t testing.TB, docs []Doc) (string, Stats) {
	dir := t.TempDir()
	x := New()
	for _, d := range docs {
		x.Add(d)
	}
	st, err := x.Write(fileWriter(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	return dir, st
}

// fileWriter writes an index's files under dir.
func fileWriter(t testing.TB, dir string) func(string, []byte) error {
	return func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
}

func runClient(t testing.TB, dir string, qs []clientQuery) []clientResult {
	node := needNode(t)
	tmp := t.TempDir()
	in, _ := json.Marshal(qs)
	writeFile(t, filepath.Join(tmp, "q.json"), in)
	runNode(t, node, "testdata/client.mjs", assetPath(t, "search.js"), dir, filepath.Join(tmp, "q.json"), filepath.Join(tmp, "out.json"))
	var out []clientResult
	if err := json.Unmarshal(readFile(t, filepath.Join(tmp, "out.json")), &out); err != nil {
		t.Fatal(err)
	}
	for i, r := range out {
		if r.Error != "" {
			t.Fatalf("%q: %s", qs[i].Q, r.Error)
		}
	}
	return out
}

func day(s string) time.Time {
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return d
}

// smallCorpus has one incident per behaviour the tests look for.
func smallCorpus() []Doc {
	tl := func(at, text string) Section {
		return Section{Label: "Timeline " + at, Text: text, Weight: searchtext.WeightText}
	}
	return []Doc{
		{ID: "2026-03-02-checkout-errors-in-eu", URL: "incidents/2026-03-02-checkout-errors-in-eu/", Title: "Checkout errors in EU",
			Date: day("2026-03-02T14:05:00Z"), Severity: 1, SevName: "SEV1", Status: "resolved", Tags: []string{"payments", "customer-facing"},
			Orgs: []string{"engineering"}, Services: []string{"checkout-api"},
			Sections: []Section{{Label: "Summary", Text: "Card payments failed for customers in the EU.", Weight: searchtext.WeightSummary},
				tl("15:31", "Rolled back deploy 4411 on dev-cluster-105 after ERR_CONN_RESET spikes"),
				{Label: "Postmortem: Root cause", Text: "Root cause", Weight: searchtext.WeightHeading},
				{Label: "Postmortem: Root cause", Text: "A stale feature flag pointed checkout at the retired cluster. The rollback took twenty minutes.", Weight: searchtext.WeightText}}},
		{ID: "2025-11-20-login-timeouts", URL: "incidents/2025-11-20-login-timeouts/", Title: "Login timeouts for SSO users",
			Date: day("2025-11-20T09:00:00Z"), Severity: 2, SevName: "SEV2", Status: "mitigated", Tags: []string{"latency"}, Orgs: []string{"sre"},
			Sections: []Section{{Label: "Summary", Text: "The connection pool of the login service was exhausted.", Weight: searchtext.WeightSummary},
				tl("09:12", "Timeouts calling api.eu-west-1 from 10.20.3.14")}},
		{ID: "2026-01-10-hostile", URL: "incidents/2026-01-10-hostile/", Title: `<img src=x onerror=alert(1)> in a title`,
			Date: day("2026-01-10T08:00:00Z"), Severity: 3, SevName: "SEV3", Status: "open", Tags: []string{"security"}, Orgs: []string{"security"},
			Sections: []Section{tl("08:01", `<script>alert('x')</script> the flux capacitor is <b>hot</b> & "quoted"`)}},
		{ID: "2025-06-01-pool-reversed", URL: "incidents/2025-06-01-pool-reversed/", Title: "Pool sizes reviewed",
			Date: day("2025-06-01T10:00:00Z"), Severity: 3, SevName: "SEV3", Status: "closed", Tags: []string{"database"}, Orgs: []string{"platform"},
			Sections: []Section{tl("10:05", "The pool of each connection was fine; nothing to do.")}},
		{ID: "2025-12-24-staging-failover", URL: "incidents/2025-12-24-staging-failover/", Title: "Staging database failover",
			Date: day("2025-12-24T22:00:00Z"), Severity: 4, SevName: "SEV4", Status: "resolved", Tags: []string{"database"}, Orgs: []string{"platform"},
			Sections: []Section{tl("22:10", "In staging the connection pool drained during the failover.")}},
	}
}

const (
	idCheckout = "2026-03-02-checkout-errors-in-eu"
	idLogin    = "2025-11-20-login-timeouts"
	idHostile  = "2026-01-10-hostile"
	idReversed = "2025-06-01-pool-reversed"
	idStaging  = "2025-12-24-staging-failover"
)

func TestClientQueries(t *testing.T) {
	dir, _ := writeIndex(t, smallCorpus())
	cases := []struct {
		q     string
		opts  map[string]any
		want  []string // exactly these, in this order
		set   []string // or: these, in any order
		first string   // or: this one first
		// anyWord: no incident has every word, so those with any
		anyWord bool
	}{
		{q: "dev-cluster-105", want: []string{idCheckout}},
		{q: "DEV-Cluster-105", want: []string{idCheckout}},
		{q: "cluster", want: []string{idCheckout}},
		{q: "dev cluster 105", want: []string{idCheckout}},
		{q: `"dev cluster 105"`, want: []string{idCheckout}},
		{q: "cluster-105", want: []string{idCheckout}}, // not indexed whole: its parts as a phrase
		{q: "err_conn_reset", want: []string{idCheckout}},
		{q: "api.eu-west-1", want: []string{idLogin}},
		{q: "10.20.3.14", want: []string{idLogin}},
		{q: "rollbacks", want: []string{idCheckout}},
		{q: "rolling back", want: []string{idCheckout}},
		{q: "rollb", want: []string{idCheckout}},                              // a prefix, as typed
		{q: "rollb", opts: map[string]any{"prefix": false}, want: []string{}}, // not without prefixes
		{q: "rollb ", want: []string{}},                                       // nor once a space ends the word
		{q: "checko", first: idCheckout},                                      // the title, by prefix
		{q: "timeout", want: []string{idLogin}},                               // stemmed: timeouts
		{q: `"connection pool"`, set: []string{idStaging, idLogin}},           // not "pool of each connection"
		{q: "connection pool", set: []string{idStaging, idLogin, idReversed}}, // both words, anywhere
		{q: "connection pool -staging", set: []string{idLogin, idReversed}},   // exclusion
		{q: `pool -"connection pool"`, want: []string{idReversed}},            // excluding a phrase
		{q: "flux", want: []string{idHostile}},                                // the hostile incident is found
		{q: "", opts: map[string]any{"filters": map[string]any{"tag": "database"}}, // filters only: newest first
			want: []string{idStaging, idReversed}},
		{q: "", opts: map[string]any{"filters": map[string]any{"severity": "SEV2"}}, want: []string{idLogin}},
		{q: "", opts: map[string]any{"filters": map[string]any{"sev": []string{"1", "2"}}}, want: []string{idCheckout, idLogin}},
		{q: "", opts: map[string]any{"filters": map[string]any{"year": 2025, "org": "platform"}}, want: []string{idStaging, idReversed}},
		{q: "pool", opts: map[string]any{"filters": map[string]any{"status": "resolved"}}, want: []string{idStaging}},
		{q: "pool tag:latency", want: []string{idLogin}}, // a filter in the query
		{q: "pool -tag:database", want: []string{idLogin}},
		{q: "pool -tag:database,latency", want: []string{}},
		{q: "pool tag:DATABASE,latency -sev:4", set: []string{idLogin, idReversed}},
		{q: "pool", opts: map[string]any{"filters": map[string]any{"tag": "no-such-tag"}}, want: []string{}},
		// no incident has every word: those with any, the most words first
		{q: "connection pool zzyzx ", set: []string{idStaging, idLogin, idReversed}, anyWord: true},
		{q: "dev cluster zzyzx ", first: idCheckout, anyWord: true},
		{q: "zzyzx qqqxx ", want: []string{}, anyWord: true},
		{q: "pool zzyzx -tag:database,latency ", want: []string{}, anyWord: true},
	}
	var qs []clientQuery
	for _, c := range cases {
		qs = append(qs, clientQuery{Q: c.q, Opts: c.opts})
	}
	got := runClient(t, dir, qs)
	for i, c := range cases {
		ids := got[i].ids()
		if c.want != nil && !slices.Equal(ids, c.want) && !(len(ids) == 0 && len(c.want) == 0) {
			t.Errorf("%q %v: got %v, want %v", c.q, c.opts, ids, c.want)
		}
		if c.set != nil && (!slices.Equal(slices.Sorted(slices.Values(ids)), slices.Sorted(slices.Values(c.set))) || got[i].Total != len(c.set)) {
			t.Errorf("%q: got %v (total %d), want %v in any order", c.q, ids, got[i].Total, c.set)
		}
		if c.first != "" && (len(ids) == 0 || ids[0] != c.first) {
			t.Errorf("%q: got %v, want %s first", c.q, ids, c.first)
		}
		if c.want != nil && got[i].Total != len(c.want) {
			t.Errorf("%q: total %d, want %d", c.q, got[i].Total, len(c.want))
		}
		if got[i].AnyWord != c.anyWord {
			t.Errorf("%q: anyWord %v, want %v", c.q, got[i].AnyWord, c.anyWord)
		}
	}
}

// TestClientResults checks what a result says: where it matched, the
// snippet around the match with the match marked, the URL under the base.
func TestClientResults(t *testing.T) {
	dir, _ := writeIndex(t, smallCorpus())
	got := runClient(t, dir, []clientQuery{{Q: "ERR_CONN_RESET"}, {Q: "stale flag"}, {Q: "checkout"}, {Q: "flux"}})
	r := got[0].Results[0]
	if r.URL != "/site/incidents/2026-03-02-checkout-errors-in-eu/" || r.SevName != "SEV1" || r.Status != "resolved" ||
		!strings.HasPrefix(r.Date, "2026-03-02T14:05:00") || !slices.Equal(r.Tags, []string{"payments", "customer-facing"}) {
		t.Errorf("result: %+v", r)
	}
	if r.Section != "Timeline 15:31" || hits(r.Snippet) != "ERR_CONN_RESET" || joined(r.Snippet) != "Rolled back deploy 4411 on dev-cluster-105 after ERR_CONN_RESET spikes" {
		t.Errorf("snippet in %q: %+v", r.Section, r.Snippet)
	}
	r = got[1].Results[0]
	if r.Section != "Postmortem: Root cause" || hits(r.Snippet) != "stale|flag" {
		t.Errorf("snippet in %q: %+v", r.Section, r.Snippet)
	}
	r = got[2].Results[0]
	if joined(r.TitleParts) != "Checkout errors in EU" || hits(r.TitleParts) != "Checkout" {
		t.Errorf("title parts: %+v", r.TitleParts)
	}
	r = got[3].Results[0]
	if r.Title != `<img src=x onerror=alert(1)> in a title` || joined(r.TitleParts) != r.Title ||
		!strings.HasPrefix(joined(r.Snippet), `<script>alert('x')</script> the flux`) || hits(r.Snippet) != "flux" {
		t.Errorf("the hostile incident's text changed on the way: %+v", r)
	}
}

func joined(ps []part) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
	}
	return b.String()
}

func hits(ps []part) string {
	var out []string
	for _, p := range ps {
		if p.Hit {
			out = append(out, p.Text)
		}
	}
	return strings.Join(out, "|")
}

// TestClientPlanted searches a generated repository for its planted
// phrases, unquoted: every incident that mentions one is an answer, and the
// top 5 are answers (all of them when there are at most 5, and first when
// the phrase's words are common).
func TestClientPlanted(t *testing.T) {
	c := loadCorpus(t, 1000)
	dir, st := writeIndex(t, c.docs)
	var qs []clientQuery
	var phrases []string
	for p := range c.planted {
		phrases = append(phrases, p)
	}
	slices.Sort(phrases)
	for _, p := range phrases {
		qs = append(qs, clientQuery{Q: p, Opts: map[string]any{"limit": 5}})
	}
	qs = append(qs, clientQuery{Q: "rolled back", Opts: map[string]any{"limit": 5}})
	got := runClient(t, dir, qs)
	for i, p := range phrases {
		answers := c.planted[p]
		top := got[i].ids()
		// a sentence of common words has more results than answers (every
		// incident with all its words): the answers must lead them
		k := min(5, len(answers))
		if len(top) > k && got[i].Total > len(answers) {
			top = top[:k]
		} else if got[i].Total != len(answers) {
			t.Errorf("%q: total %d, want %d", p, got[i].Total, len(answers))
		}
		for _, id := range top {
			if !slices.Contains(answers, id) {
				t.Errorf("%q: %s in the top %d does not mention it (top %v, answers %v)", p, id, k, top, answers)
			}
		}
		if len(top) < k {
			t.Errorf("%q: top %v, want %d of %v", p, top, k, answers)
		}
		t.Logf("%-24q %d answers, cold query fetched %d bytes of the index in %d files", p, len(answers), got[i].coldBytes(), len(got[i].Fetched))
	}
	rolled := got[len(phrases)]
	for _, r := range rolled.Results {
		if !strings.Contains(strings.ToLower(joined(r.Snippet)), "roll") {
			t.Errorf("rolled back: snippet of %s has no match: %q", r.ID, joined(r.Snippet))
		}
	}
	t.Logf("index of %d incidents: %d shards, %d files, %d KiB; \"rolled back\": %d results, %d bytes", st.Docs, st.Shards, st.Files, st.Bytes>>10, rolled.Total, rolled.coldBytes())
}

// TestClientNeverParsesHTML checks that no code of the client turns text
// into HTML or code: results are built with createElement and textContent.
func TestClientNeverParsesHTML(t *testing.T) {
	for _, name := range []string{"search.js", "analyze.js", "mount.js"} {
		src := string(readFile(t, assetPath(t, name)))
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute(\"style", ".style."} {
			if strings.Contains(src, bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
	mount := string(readFile(t, assetPath(t, "mount.js")))
	for _, want := range []string{"textContent", "createElement", "createTextNode"} {
		if !strings.Contains(mount, want) {
			t.Errorf("mount.js does not use %s: how does it show text?", want)
		}
	}
}

// TestClientUnicodeRouting searches an index of words in many scripts,
// large enough for many shards whose boundaries start with non-ASCII
// characters: the client must find each word in the shard that holds it.
func TestClientUnicodeRouting(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alphabets := []string{"abcdefgh", "éèêàçôüß", "αβγδεζηθ", "абвгдежз", "אבגדהוזח", "日本語中文字漢", "🔥🌊🌲⚡", "ａｂｃｄ"}
	word := func() string {
		a := []rune(alphabets[r.IntN(len(alphabets))])
		var b strings.Builder
		for n := 2 + r.IntN(5); n > 0; n-- {
			b.WriteRune(a[r.IntN(len(a))])
		}
		return b.String()
	}
	var docs []Doc
	has := map[string][]string{} // term → incidents
	seen := map[string]bool{}
	for i := range 1500 {
		id := fmt.Sprintf("2026-01-01-u%04d", i)
		var words []string
		for range 40 {
			w := word()
			words = append(words, w)
			seen[w] = true
			for _, k := range searchtext.Analyze([]byte(w)) {
				if l := has[k.Term]; len(l) == 0 || l[len(l)-1] != id {
					has[k.Term] = append(l, id)
				}
			}
		}
		docs = append(docs, Doc{ID: id, Title: id, Date: day("2026-01-01T00:00:00Z").Add(time.Duration(i) * time.Minute),
			Sections: []Section{{Label: "Text", Text: strings.Join(words, " "), Weight: 1}}})
	}
	dir, st := writeIndex(t, docs)
	if st.Shards < 20 {
		t.Fatalf("only %d shards", st.Shards)
	}
	var m manifestJSON
	if err := json.Unmarshal(gunzip(t, readFile(t, filepath.Join(dir, "manifest.bin"))), &m); err != nil {
		t.Fatal(err)
	}
	nonASCII := 0
	for _, s := range m.Shards {
		if !utf8.ValidString(s) {
			t.Errorf("shard boundary %q is not UTF-8", s)
		}
		if s != "" && s[0] >= utf8.RuneSelf {
			nonASCII++
		}
	}
	if nonASCII < 5 {
		t.Errorf("only %d shards start with a non-ASCII character", nonASCII)
	}
	var qs []clientQuery
	var want [][]string
	all := slices.Sorted(maps.Keys(seen))
	for i := 0; i < len(all); i += len(all) / 300 { // across every script
		w := all[i]
		terms := searchtext.Analyze([]byte(w))
		if len(terms) != 1 {
			continue
		}
		qs = append(qs, clientQuery{Q: w, Opts: map[string]any{"limit": 1000, "prefix": false}})
		want = append(want, has[terms[0].Term])
	}
	got := runClient(t, dir, qs)
	for i, r := range got {
		ids := r.ids()
		slices.Sort(ids)
		if !slices.Equal(ids, want[i]) {
			t.Errorf("%q: got %d incidents, want %d", qs[i].Q, len(ids), len(want[i]))
		}
	}
}
