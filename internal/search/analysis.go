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
	toks := searchtext.Analyze(text)
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
