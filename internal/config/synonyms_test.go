package config

import (
	"strings"
	"testing"
)

func TestSynonymsSettings(t *testing.T) {
	// absent: the defaults; {}: none
	if s, diags := Parse(File, []byte("name: x\n")); len(diags) > 0 || len(s.Search.Synonyms) != len(defaultSynonyms) {
		t.Errorf("no search section: %d groups, %v", len(s.Search.Synonyms), diags)
	}
	if s, diags := Parse(File, []byte("search:\n  synonyms: {}\n")); len(diags) > 0 || len(s.Search.Synonyms) != 0 {
		t.Errorf("synonyms: {}: %d groups, %v", len(s.Search.Synonyms), diags)
	}
	s, diags := Parse(File, []byte("search:\n  synonyms:\n    k8s: [kubernetes, \"\"]\n    \"\": [nothing]\n    pg: [postgres]\n"))
	if len(diags) != 2 || !strings.Contains(diags.Error(), "sev.yaml:3:") || !strings.Contains(diags.Error(), "left out") {
		t.Errorf("bad synonyms: %v", diags)
	}
	if len(s.Search.Synonyms) != 2 || len(s.Search.Synonyms["k8s"]) != 1 || s.Search.Synonyms["pg"][0] != "postgres" {
		t.Errorf("kept %v", s.Search.Synonyms)
	}
	if _, diags := Parse(File, []byte("search:\n  synonyms: [oom]\n")); len(diags) == 0 {
		t.Error("a list instead of a mapping was accepted")
	}
	if _, diags := Parse(File, []byte("search:\n  synonym: {}\n")); len(diags) == 0 {
		t.Error("an unknown field was accepted")
	}
}
