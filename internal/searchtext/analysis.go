// Package searchtext is the text side of sev's search, with no index in
// it: the analyzer that turns incident text into terms (prose stemmed,
// identifiers kept whole and split), the document of an incident, the
// lenient postmortem reader and the query language. The bleve index
// (internal/search) and the site's static index (internal/sitesearch)
// both use it, so a word finds the same incidents in `sev search` and on
// the site; the site does not link bleve.
package searchtext

import (
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// Incident text mixes English prose with identifiers: host names
// (dev-cluster-105), endpoints (api.eu-west-1), error codes
// (ERR_CONN_RESET) and addresses (10.20.3.14). bleve's standard analyzers
// either split those at every punctuation mark (so "dev-cluster-105" is
// only findable as three common words) or keep them whole (so "cluster"
// does not find it). This analyzer does both: a run of letters and digits
// joined by '-', '_' or '.' is emitted whole (lower-cased, never stemmed)
// at the position of its first part, and its parts are emitted at
// consecutive positions as ordinary words. A query for the identifier as
// written matches the whole token; a query for its words, or a phrase of
// them, matches the parts. Ordinary words are lower-cased, lose an English
// possessive and are stemmed (Snowball English), and a short list of
// function words is dropped.

// Kind says what a token is to the query builder.
type Kind uint8

const (
	Word  Kind = iota // an ordinary word, stemmed
	Ident             // an identifier as written, followed by its parts
	Part              // a part of the identifier before it
)

// Token is a term of analysed text.
type Token struct {
	Term       string
	Start, End int // byte offsets in the input
	Pos        int // 1-based position; an identifier shares its first part's
	Kind       Kind
}

// maxTerm caps the length of an indexed term: longer runs (base64 blobs,
// minified data) are indexed only by their parts.
const maxTerm = 100

// stopWords are dropped from prose. The list is deliberately short:
// English stop lists include words such as "down", "not", "off" and "over"
// that carry meaning in incident reports ("site down", "not paged").
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"for": true, "from": true, "has": true, "have": true, "in": true, "is": true, "it": true, "its": true,
	"of": true, "on": true, "or": true, "that": true, "the": true, "this": true, "to": true, "was": true,
	"were": true, "with": true,
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isConnector(r rune) bool { return r == '-' || r == '_' || r == '.' }

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// analyze splits text into tokens. It never fails and never panics on
// invalid UTF-8 (bad bytes separate tokens).
// Analyze splits text into terms.
func Analyze(text []byte) []Token {
	var out []Token
	pos := 1
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRune(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		var parts [][2]int // byte ranges of the alphanumeric runs
		for {
			runStart := i
			for i < len(text) {
				r, n := utf8.DecodeRune(text[i:])
				if isWordRune(r) {
					i += n
					continue
				}
				// an apostrophe between letters stays in the word:
				// "customer's", "don't"
				if isApostrophe(r) && i+n < len(text) {
					if r2, _ := utf8.DecodeRune(text[i+n:]); unicode.IsLetter(r2) && len(parts) == 0 {
						i += n
						continue
					}
				}
				break
			}
			parts = append(parts, [2]int{runStart, i})
			if i >= len(text) {
				break
			}
			r, n := utf8.DecodeRune(text[i:])
			if !isConnector(r) || i+n >= len(text) {
				break
			}
			if r2, _ := utf8.DecodeRune(text[i+n:]); !isWordRune(r2) {
				break
			}
			i += n
		}
		if len(parts) == 1 {
			if t, ok := word(text[start:i]); ok {
				out = append(out, Token{Term: t, Start: start, End: i, Pos: pos, Kind: Word})
			}
			pos++
			continue
		}
		if i-start <= maxTerm {
			out = append(out, Token{Term: lower(text[start:i]), Start: start, End: i, Pos: pos, Kind: Ident})
		}
		for _, p := range parts {
			t, _ := word(text[p[0]:p[1]])
			if t == "" {
				t = lower(text[p[0]:p[1]])
			}
			out = append(out, Token{Term: t, Start: p[0], End: p[1], Pos: pos, Kind: Part})
			pos++
		}
	}
	return out
}

// word normalises an ordinary word: lower case, no possessive, stemmed
// unless it holds digits. ok is false for a stop word.
func word(b []byte) (string, bool) {
	s := lower(b)
	if stopWords[s] {
		return "", false
	}
	if n := len(s); n > 2 && s[n-2:] == "'s" {
		s = s[:n-2]
	} else if n > 4 && s[n-4:] == "’s" {
		s = s[:n-4]
	}
	if len(s) > maxTerm {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return s, true
		}
	}
	if len(s) <= 2 {
		return s, true
	}
	return stem(s), true
}

// stems caches the stemmer's answers: incident text has a small working
// vocabulary, and stemming was a third of the analysis time.
var (
	stems     sync.Map
	stemCount atomic.Int64
)

const maxStems = 1 << 18

func stem(s string) string {
	if v, ok := stems.Load(s); ok {
		return v.(string)
	}
	env := snowballstem.NewEnv(s)
	english.Stem(env)
	out := env.Current()
	if stemCount.Load() < maxStems {
		stemCount.Add(1)
		stems.Store(s, out)
	}
	return out
}

func lower(b []byte) string {
	for _, c := range b {
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return lowerSlow(b)
		}
	}
	return string(b)
}

func lowerSlow(b []byte) string {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		out = utf8.AppendRune(out, unicode.ToLower(r))
	}
	return string(out)
}
