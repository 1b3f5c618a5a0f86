package searchtext

import (
	"strings"
	"testing"
)

func terms(text string) []string {
	var out []string
	for _, t := range Analyze([]byte(text)) {
		out = append(out, t.Term)
	}
	return out
}

func TestAnalyzeIdentifiers(t *testing.T) {
	toks := Analyze([]byte("Rolled back dev-cluster-105 after ERR_CONN_RESET from 10.20.3.14 on api.eu-west-1."))
	got := map[string]Token{}
	for _, tk := range toks {
		got[tk.Term] = tk
	}
	for _, want := range []string{"roll", "back", "dev-cluster-105", "dev", "cluster", "105", "err_conn_reset", "err",
		"conn", "reset", "10.20.3.14", "10", "14", "api.eu-west-1", "api", "eu", "west", "1"} {
		if _, ok := got[want]; !ok {
			t.Errorf("no term %q in %v", want, terms("Rolled back dev-cluster-105 after ERR_CONN_RESET from 10.20.3.14 on api.eu-west-1."))
		}
	}
	if _, ok := got["api.eu-west-1."]; ok {
		t.Error("a sentence's full stop became part of an identifier")
	}
	// the identifier shares its position with its first part, and the
	// parts follow one another, so phrases of words match identifiers
	id, first, second := got["dev-cluster-105"], got["dev"], got["cluster"]
	if id.Pos != first.Pos || second.Pos != first.Pos+1 || id.Kind != Ident || first.Kind != Part {
		t.Errorf("positions: %+v %+v %+v", id, first, second)
	}
	if got["after"].Pos != got["105"].Pos+1 {
		t.Errorf("the word after an identifier is at %d, want %d", got["after"].Pos, got["105"].Pos+1)
	}
}

func TestAnalyzeWords(t *testing.T) {
	for text, want := range map[string]string{
		"The customer's timeouts":   "custom timeout",
		"Timeouts, TIMEOUT timeout": "timeout timeout timeout",
		"rollbacks rolled":          "rollback roll",
		"site down, not paged":      "site down not page",
		"v2 ipv6 4411":              "v2 ipv6 4411",
		"Überweisungen fehlerhaft":  "überweisungen fehlerhaft",
		"don't":                     "don't",
	} {
		if got := strings.Join(terms(text), " "); got != want {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
}

func TestAnalyzeOddInput(t *testing.T) {
	for _, text := range []string{"", "---", "a-", "-a", "a..b", "\xff\xfe", "x" + strings.Repeat("-y", 200), "é-", "'s"} {
		for _, tk := range Analyze([]byte(text)) {
			if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End || tk.Term == "" {
				t.Errorf("%q: bad token %+v", text, tk)
			}
		}
	}
	long := strings.Repeat("ab-", 60) + "c"
	for _, tk := range Analyze([]byte(long)) {
		if tk.Kind == Ident {
			t.Errorf("an identifier of %d bytes was indexed whole", len(long))
		}
	}
}
