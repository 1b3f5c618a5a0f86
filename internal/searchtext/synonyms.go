package searchtext

import (
	"maps"
	"slices"
	"strings"
)

// Synonyms are groups of words and phrases that mean the same in a query.
type Synonyms struct {
	groups [][]member
}

// member is one word or phrase of a group: its words normalised as a
// query's are (sameWord), and its text for the query builder.
type member struct {
	words []string
	text  string
}

// NewSynonyms reads groups as sev.yaml writes them: a key and the words
// and phrases that mean the same.
func NewSynonyms(groups map[string][]string) *Synonyms {
	s := &Synonyms{}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		var g []member
		for _, text := range append([]string{key}, groups[key]...) {
			if m := newMember(text); len(m.words) > 0 {
				g = append(g, m)
			}
		}
		if len(g) > 1 {
			s.groups = append(s.groups, g)
		}
	}
	return s
}

func newMember(text string) member {
	m := member{text: strings.TrimSpace(text)}
	for _, w := range strings.Fields(m.text) {
		m.words = append(m.words, normal(w))
	}
	return m
}

// normal is a word as synonyms compare it: its stem when it is one
// ordinary word, else in lower case (stop words, identifiers, numbers).
func normal(w string) string {
	if toks := Analyze([]byte(w)); len(toks) == 1 && toks[0].Kind == Word {
		return toks[0].Term
	}
	return strings.ToLower(w)
}

// Expand gives the unquoted, required words of q their synonyms: where a
// run of them is a group's word or phrase (the longest first), they
// become one clause whose Alt lists the group's others. Quoted phrases
// and -words are left as typed.
func (s *Synonyms) Expand(q *Query) {
	if s == nil || len(s.groups) == 0 {
		return
	}
	var out []Clause
	for i := 0; i < len(q.Text); {
		c := q.Text[i]
		if c.Phrase || c.Not {
			out = append(out, c)
			i++
			continue
		}
		g, k, n := s.match(q.Text[i:])
		if g == nil {
			out = append(out, c)
			i++
			continue
		}
		var texts []string
		for _, cl := range q.Text[i : i+n] {
			texts = append(texts, cl.Text)
		}
		typed := Clause{Text: strings.Join(texts, " "), Phrase: n > 1}
		for j, m := range g {
			if j != k {
				typed.Alt = append(typed.Alt, m.text)
			}
		}
		out = append(out, typed)
		i += n
	}
	q.Text = out
}

// match finds the group member that the clauses start with, the longest
// if several: the group, the member's index and how many clauses it
// takes.
func (s *Synonyms) match(cs []Clause) (group []member, index, n int) {
	for _, g := range s.groups {
		for k, m := range g {
			if len(m.words) <= n || len(m.words) > len(cs) {
				continue
			}
			ok := true
			for j, w := range m.words {
				if cs[j].Phrase || cs[j].Not || normal(cs[j].Text) != w {
					ok = false
					break
				}
			}
			if ok {
				group, index, n = g, k, len(m.words)
			}
		}
	}
	return group, index, n
}
