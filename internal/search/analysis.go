package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/sev-dev/sev/internal/searchtext"
)

// AnalyzerName is the name of sev's analyzer in the index mapping.
const AnalyzerName = "sev"

// analyzer adapts searchtext.Analyze to bleve.
type analyzer struct{}

func (analyzer) Analyze(text []byte) analysis.TokenStream {
	return tokenStream(searchtext.Analyze(text))
}

// analyzed is a field's text analysed already (by bleveDoc, which needs
// the terms for the synonym groups too): bleve's analysis of the field
// takes them, once, and they are not kept after.
type analyzed struct{ toks analysis.TokenStream }

func (a *analyzed) Analyze(text []byte) analysis.TokenStream {
	if a.toks == nil {
		return analyzer{}.Analyze(text)
	}
	toks := a.toks
	a.toks = nil
	return toks
}

// tokenStream is searchtext's tokens as bleve's.
func tokenStream(toks []searchtext.Token) analysis.TokenStream {
	out := make(analysis.TokenStream, len(toks))
	backing := make([]analysis.Token, len(toks))
	for i, t := range toks {
		backing[i] = analysis.Token{Term: []byte(t.Term), Start: t.Start, End: t.End, Position: t.Pos,
			Type: analysis.AlphaNumeric, KeyWord: t.Kind == searchtext.Ident}
		out[i] = &backing[i]
	}
	return out
}

func init() {
	registry.RegisterAnalyzer(AnalyzerName, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return analyzer{}, nil
	})
}
