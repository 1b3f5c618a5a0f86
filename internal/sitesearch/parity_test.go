package sitesearch

import (
	"context"
	"crypto/sha1"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/searchtext"
)

// TestCLIAndSiteAgree runs the same queries through sev search's index and
// the site's, over one generated repository with sev's default synonyms:
// the same incidents match, and both put the planted sentence's incidents
// first.
func TestCLIAndSiteAgree(t *testing.T) {
	c := loadCorpus(t, 1000)
	data, err := os.ReadFile(filepath.Join(c.dir, config.File))
	if err != nil {
		t.Fatal(err)
	}
	settings, _ := config.Parse(config.File, data)
	dir := t.TempDir()
	web := New()
	web.SetSynonyms(settings.Search.Synonyms)
	for _, d := range c.docs {
		web.Add(d)
	}
	if _, err := web.Write(fileWriter(t, dir)); err != nil {
		t.Fatal(err)
	}
	syn := searchtext.NewSynonyms(settings.Search.Synonyms)
	x, err := search.Open(search.Options{Root: c.dir, Dir: t.TempDir(), GitIndexFile: filepath.Join(c.dir, ".git", "index"),
		HashBlob: func(b []byte) [20]byte {
			h := sha1.New()
			fmt.Fprintf(h, "blob %d\x00", len(b))
			h.Write(b)
			return [20]byte(h.Sum(nil))
		}, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"rollback", "rolled back", "database timeout", "connection pool", `"connection pool"`, "connection pool -replica",
		"dev-cluster-105", "ERR_CONN_RESET", "api.eu-west-1", "10.20.3.14", "timeo", "rollb", "timeo ", "cache flushed",
		"error rate dropped after the cache was flushed", "zzyzx database ", "zzyzx qqqxx ", "quantum flux capacitor",
		// synonyms: a word, a phrase typed, a phrase member
		"db failover", "rolled back deploy", "deadline exceeded", "out of memory pods", "k8s node", "revert deploy ",
	}
	var qs []clientQuery
	for _, q := range queries {
		qs = append(qs, clientQuery{Q: q, Opts: map[string]any{"limit": 2000}})
	}
	site := runClient(t, dir, qs)
	for i, q := range queries {
		pq, err := searchtext.ParseQuery(q, searchtext.Vocabulary{Severity: settings.ParseSeverity, Statuses: settings.StatusNames()})
		if err != nil {
			t.Fatal(err)
		}
		syn.Expand(pq)
		res, err := x.Search(context.Background(), search.Request{Query: pq, Limit: 2000})
		if err != nil {
			t.Fatal(err)
		}
		var cli []string
		for _, h := range res.Hits {
			cli = append(cli, h.ID)
		}
		got := site[i].ids()
		if res.AnyWord != site[i].AnyWord {
			t.Errorf("%q: any word: CLI %v, site %v", q, res.AnyWord, site[i].AnyWord)
		}
		onlyCLI, onlySite := diff(cli, got), diff(got, cli)
		if len(onlyCLI)+len(onlySite) > 0 {
			t.Errorf("%q: %d results by the CLI, %d by the site; only the CLI: %v; only the site: %v", q, len(cli), len(got), head(onlyCLI), head(onlySite))
		}
		t.Logf("%-48q %4d results", q, len(cli))
		if want := c.planted[q]; len(want) > 0 {
			k := len(want)
			if got := slices.Sorted(slices.Values(cli[:min(k, len(cli))])); !slices.Equal(got, want) {
				t.Errorf("%q: the CLI's top %d are %v; want the planted %v", q, k, got, want)
			}
			if got := slices.Sorted(slices.Values(got[:min(k, len(got))])); !slices.Equal(got, want) {
				t.Errorf("%q: the site's top %d are %v; want the planted %v", q, k, got, want)
			}
		}
	}
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func head(xs []string) string {
	if len(xs) > 4 {
		return strings.Join(xs[:4], " ") + fmt.Sprintf(" and %d more", len(xs)-4)
	}
	return strings.Join(xs, " ")
}
