package search

// What other packages reuse of the index's analysis: the static site's
// search index (internal/sitesearch) analyses text exactly as this
// package does, so a word finds the same incidents in `sev search` and on
// the site.

// Token is a term of analysed text.
type Token struct {
	Term       string
	Start, End int // byte offsets of the term's source in the text
	Pos        int // 1-based; an identifier shares its first part's position
	// Ident marks an identifier as written (dev-cluster-105); its parts
	// follow it as tokens with Part set.
	Ident, Part bool
}

// Analyze splits text into terms with the analyzer of the index.
func Analyze(text []byte) []Token {
	toks := analyze(text)
	out := make([]Token, len(toks))
	for i, t := range toks {
		out[i] = Token{Term: t.term, Start: t.start, End: t.end, Pos: t.pos, Ident: t.kind == tokIdent, Part: t.kind == tokPart}
	}
	return out
}

// Boosts are the weights of the index's text fields by name: title,
// summary, impact, labels (tags, services and orgs), tl (a timeline
// entry), pmh (a postmortem heading) and pm (a postmortem section's text).
func Boosts() map[string]float64 {
	out := make(map[string]float64, len(textFields))
	for _, f := range textFields {
		out[f.name] = f.boost
	}
	return out
}
