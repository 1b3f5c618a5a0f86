package searchtext

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Synonyms are groups of words and phrases that mean the same in a query.
type Synonyms struct {
	groups [][]member
	key    string
	// first maps the first term of each member's analysis to the members
	// that start with it, by group index, for In.
	first map[string][]indexed
}

// indexed is a member as the index finds it: its analysed terms at their
// relative positions (stop words leave gaps).
type indexed struct {
	group int
	terms []string
	pos   []int
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
	h := sha256.New()
	s.first = map[string][]indexed{}
	for gi, g := range s.groups {
		for _, m := range g {
			fmt.Fprintf(h, "%q ", m.text)
			toks := Analyze([]byte(m.text))
			if len(toks) == 0 {
				continue
			}
			x := indexed{group: gi}
			for _, t := range toks {
				x.terms = append(x.terms, t.Term)
				x.pos = append(x.pos, t.Pos-toks[0].Pos)
			}
			s.first[x.terms[0]] = append(s.first[x.terms[0]], x)
		}
		h.Write([]byte("\n"))
	}
	s.key = fmt.Sprintf("%x", h.Sum(nil))[:16]
	return s
}

// Key fingerprints the groups: an index built with one set of synonyms
// answers a query expanded with the same set (Query.Synonyms).
func (s *Synonyms) Key() string {
	if s == nil {
		return ""
	}
	return s.key
}

// Group is the name of group i: its key in sev.yaml.
func (s *Synonyms) group(i int) string { return s.groups[i][0].text }

// In lists the groups that text mentions — any of a group's words, or
// its phrases with their words at the same distances — each group once,
// by its key. An index stores them, so that a query for a group is one
// term instead of a phrase per member.
func (s *Synonyms) In(text string) []string {
	if s == nil || len(s.first) == 0 {
		return nil
	}
	return s.InTokens(Analyze([]byte(text)))
}

// InTokens is In of a text analysed already.
func (s *Synonyms) InTokens(toks []Token) []string {
	if s == nil || len(s.first) == 0 {
		return nil
	}
	at := make(map[int][]string, len(toks))
	for _, t := range toks {
		at[t.Pos] = append(at[t.Pos], t.Term)
	}
	found := map[int]bool{}
	for _, t := range toks {
		for _, x := range s.first[t.Term] {
			if found[x.group] {
				continue
			}
			ok := true
			for j := 1; j < len(x.terms) && ok; j++ {
				ok = slices.Contains(at[t.Pos+x.pos[j]], x.terms[j])
			}
			if ok {
				found[x.group] = true
			}
		}
	}
	out := make([]string, 0, len(found))
	for gi := range found {
		out = append(out, s.group(gi))
	}
	slices.Sort(out)
	return out
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
		typed := Clause{Text: strings.Join(texts, " "), Phrase: n > 1, Group: g[0].text}
		for j, m := range g {
			if j != k {
				typed.Alt = append(typed.Alt, m.text)
			}
		}
		q.Synonyms = s.key
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
