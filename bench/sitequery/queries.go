package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"

	"github.com/sev-dev/sev/internal/library"
)

// A query is one search with a known answer: the incidents that are
// relevant to it, computed from the repository.
type query struct {
	Kind    string            `json:"kind"` // planted, stem or filter
	Text    string            `json:"text"`
	Filters map[string]string `json:"filters,omitempty"`
	Answers []string          `json:"answers"`
	// Literal counts the answers whose text has the query's words as
	// written (stem queries): the rest are found only through stemming.
	Literal int `json:"literal,omitempty"`
}

// plantedPhrases are the phrases internal/gen plants (plant.go), used when
// no stats file names them.
var plantedPhrases = []string{"quantum flux capacitor", "dev-cluster-105", "ERR_CONN_RESET", "api.eu-west-1", "10.20.3.14"}

// stemQueries are words that the generated text has only in other forms
// (evicted, eviction, evictions for "evict"), so an engine finds their
// answers through stemming alone. The last has two words: both must match.
var stemQueries = []string{"evict", "injection", "renewing", "recovering", "misrouting", "migrations", "partitioned", "renewing certificate"}

// filtered are queries restricted to one severity (by level; the filter's
// value is the severity's name, SEV1, as the pages show it).
var filtered = []struct {
	text  string
	level int
}{
	{"ERR_CONN_RESET", 2},
	{"api.eu-west-1", 3},
	{"evict", 1},
	{"migrations", 2},
}

// doc is what the answers are computed from: an incident's prose, lower
// case — title, summary, impact, every timeline entry's text and value,
// and its postmortem's Markdown — and the stems of its words.
type doc struct {
	id       string
	severity string
	text     string
	stems    map[string]bool // only the stems some query asks for
}

// buildQueries computes every query's answers from the library. planted
// maps phrases to their incidents as sev dev gen --json reports them;
// when nil the phrases are plantedPhrases and their answers are the
// incidents whose text contains them (in any letter case), which is how
// the generator defines them.
func buildQueries(lib *library.Library, planted map[string][]string) ([]*query, error) {
	want := map[string]bool{}
	for _, q := range stemQueries {
		for _, w := range words(q) {
			want[stem(w)] = true
		}
	}
	docs, err := readDocs(lib, want)
	if err != nil {
		return nil, err
	}
	var out []*query
	phrases := slices.Sorted(slices.Values(plantedPhrases))
	if planted != nil {
		phrases = slices.Sorted(maps.Keys(planted))
	}
	for _, p := range phrases {
		q := &query{Kind: "planted", Text: p, Answers: planted[p]}
		if planted == nil {
			q.Answers = matching(docs, func(d *doc) bool { return strings.Contains(d.text, strings.ToLower(p)) })
		}
		out = append(out, q)
	}
	for _, s := range stemQueries {
		out = append(out, stemQuery(docs, s, nil))
	}
	for _, f := range filtered {
		sev := lib.Settings.SeverityName(f.level)
		out = append(out, filterQuery(docs, out, f.text, sev))
	}
	return out, nil
}

// stemQuery: the answers are the incidents with a word of the same stem
// as each of the query's words.
func stemQuery(docs []*doc, text string, keep func(*doc) bool) *query {
	ws := words(text)
	q := &query{Kind: "stem", Text: text}
	q.Answers = matching(docs, func(d *doc) bool {
		if keep != nil && !keep(d) {
			return false
		}
		for _, w := range ws {
			if !d.stems[stem(w)] {
				return false
			}
		}
		return true
	})
	for _, d := range docs {
		if _, ok := slices.BinarySearch(q.Answers, d.id); ok && allLiteral(d.text, ws) {
			q.Literal++
		}
	}
	return q
}

// filterQuery restricts an earlier query's answers to one severity.
func filterQuery(docs []*doc, earlier []*query, text, sev string) *query {
	bySev := map[string]string{}
	for _, d := range docs {
		bySev[d.id] = d.severity
	}
	q := &query{Kind: "filter", Text: text, Filters: map[string]string{"severity": sev}}
	for _, e := range earlier {
		if e.Text == text && e.Filters == nil {
			for _, id := range e.Answers {
				if bySev[id] == sev {
					q.Answers = append(q.Answers, id)
				}
			}
			return q
		}
	}
	return q
}

func allLiteral(text string, ws []string) bool {
	have := map[string]bool{}
	for _, w := range words(text) {
		have[w] = true
	}
	for _, w := range ws {
		if !have[w] {
			return false
		}
	}
	return true
}

func matching(docs []*doc, f func(*doc) bool) []string {
	var out []string
	for _, d := range docs {
		if f(d) {
			out = append(out, d.id)
		}
	}
	slices.Sort(out)
	return out
}

// readDocs reads every visible incident's prose on all cores.
func readDocs(lib *library.Library, want map[string]bool) ([]*doc, error) {
	docs := make([]*doc, len(lib.Incidents))
	errs := make([]error, len(lib.Incidents))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			stems := map[string]string{} // stemming allocates: each word once per worker
			for i := range next {
				docs[i], errs[i] = readDoc(lib, lib.Incidents[i], want, stems)
			}
		})
	}
	for i := range lib.Incidents {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}

func readDoc(lib *library.Library, inc *library.Incident, want map[string]bool, stems map[string]string) (*doc, error) {
	d, err := lib.Detail(inc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", inc.ID(), err)
	}
	r := inc.Record
	parts := []string{r.Title, r.Summary, r.Impact}
	for _, e := range d.Timeline {
		parts = append(parts, e.Text, e.Value)
	}
	if pm := d.Postmortem; pm != nil {
		parts = append(parts, string(pm.Source[pm.Body:]))
	}
	out := &doc{id: r.ID, severity: lib.Settings.SeverityName(r.Severity), text: strings.ToLower(strings.Join(parts, "\n")), stems: map[string]bool{}}
	for _, w := range words(out.text) {
		s, ok := stems[w]
		if !ok {
			s = stem(w)
			stems[w] = s
		}
		if want[s] {
			out.stems[s] = true
		}
	}
	return out, nil
}

// words splits text into lower-case runs of letters.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
}

// stem is the Snowball English stem, the stemmer of sev's search and of
// Pagefind's English indexes.
func stem(w string) string {
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	return env.Current()
}

// readPlanted reads the planted map of sev dev gen --json's output.
func readPlanted(path string) (map[string][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st struct {
		Planted map[string][]string `json:"planted"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(st.Planted) == 0 {
		return nil, fmt.Errorf("%s has no planted phrases; want the output of sev dev gen --json", path)
	}
	return st.Planted, nil
}
