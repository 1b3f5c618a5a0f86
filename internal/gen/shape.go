package gen

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Shape is what a generated corpus looks like: how much each incident
// holds and how its text reads. Benchmarks run several, so that no target
// is met only on one corpus's shape.
type Shape struct {
	Name string `json:"name"`
	// Entries scales the timeline entries per incident: 1 gives about 13
	// on average (5 to 40), 1.7 about 22.
	Entries float64 `json:"entries"`
	// Postmortems is the share of incidents with a postmortem (0 to 1);
	// PostmortemWords, when set, the range of their length in words
	// (otherwise by severity, 250 to 2,200).
	Postmortems     float64 `json:"postmortems"`
	PostmortemWords [2]int  `json:"postmortem_words,omitzero"`
	// Attachments is the share of incidents with attachments (0 to 1).
	Attachments float64 `json:"attachments"`
	// Vocabulary is how many extra terms (services, hosts, error codes,
	// team jargon) notes draw from, a few common and most rare; 0 keeps to
	// the templates' own words.
	Vocabulary int `json:"vocabulary"`
	// Style is how notes read: "ops" (one short operational sentence),
	// "prose" (several sentences, as people write who explain) or "chat"
	// (short, lower case, informal).
	Style string `json:"style"`
}

// Shapes are the named shapes `sev dev gen --shape` takes. default is the
// generator's original corpus; heavy exceeds it in every dimension; light
// is small incidents written in chat; wide has about 22 entries per
// incident and 600–1,500-word postmortems on 40% of them, the shape of
// the outside corpus issue 14 was measured on.
var Shapes = map[string]Shape{
	"default": {Name: "default", Entries: 1, Postmortems: 0.4, Attachments: 0.45, Style: "ops"},
	"light":   {Name: "light", Entries: 0.5, Postmortems: 0.1, PostmortemWords: [2]int{150, 400}, Attachments: 0.1, Style: "chat"},
	"wide":    {Name: "wide", Entries: 1.7, Postmortems: 0.4, PostmortemWords: [2]int{600, 1500}, Attachments: 0.3, Vocabulary: 5000, Style: "prose"},
	"heavy":   {Name: "heavy", Entries: 2, Postmortems: 0.6, PostmortemWords: [2]int{1200, 3000}, Attachments: 0.7, Vocabulary: 20000, Style: "prose"},
}

// ShapeNames are the named shapes, sorted.
func ShapeNames() []string { return slices.Sorted(maps.Keys(Shapes)) }

// Check says what is wrong with a shape.
func (s Shape) Check() error {
	switch {
	case s.Entries < 0.2 || s.Entries > 5:
		return fmt.Errorf("entries %.2f: scale the entries per incident by 0.2 to 5", s.Entries)
	case s.Postmortems < 0 || s.Postmortems > 1:
		return fmt.Errorf("postmortems %.2f: a share from 0 to 1", s.Postmortems)
	case s.Attachments < 0 || s.Attachments > 1:
		return fmt.Errorf("attachments %.2f: a share from 0 to 1", s.Attachments)
	case s.PostmortemWords != [2]int{} && (s.PostmortemWords[0] < 50 || s.PostmortemWords[1] < s.PostmortemWords[0] || s.PostmortemWords[1] > 20000):
		return fmt.Errorf("postmortem words %d-%d: a range from 50 to 20000 words", s.PostmortemWords[0], s.PostmortemWords[1])
	case s.Vocabulary < 0 || s.Vocabulary > 1_000_000:
		return fmt.Errorf("vocabulary %d: 0 to 1000000 extra terms", s.Vocabulary)
	case s.Style != "ops" && s.Style != "prose" && s.Style != "chat":
		return fmt.Errorf("style %q: ops, prose or chat", s.Style)
	}
	return nil
}

// ParseWords reads a postmortem length range such as 600-1500.
func ParseWords(s string) ([2]int, error) {
	var lo, hi int
	if _, err := fmt.Sscanf(s, "%d-%d", &lo, &hi); err != nil || fmt.Sprintf("%d-%d", lo, hi) != s {
		return [2]int{}, fmt.Errorf("postmortem words %q: write a range such as 600-1500", s)
	}
	return [2]int{lo, hi}, nil
}

// scaledEntries scales an entry count by the shape, keeping a timeline of
// at least three entries.
func (s *Shape) scaledEntries(n int) int {
	if s.Entries == 1 {
		return n
	}
	return max(3, int(math.Round(float64(n)*s.Entries)))
}

// postmortemOdds is the per-mille chance of a postmortem at severity: the
// severity's default, scaled to the shape's share (default 40%).
func (s *Shape) postmortemOdds(severity int) int {
	return min(1000, int(math.Round(float64(pmOdds[severity-1])*s.Postmortems/0.4)))
}

// postmortemWords is the length range of a postmortem at severity.
func (s *Shape) postmortemWords(severity int) (int, int) {
	if s.PostmortemWords != [2]int{} {
		return s.PostmortemWords[0], s.PostmortemWords[1]
	}
	return pmWords[severity-1][0], pmWords[severity-1][1]
}

// terms are a shape's extra vocabulary, made from the seed: syllables
// joined into service names, hosts, error codes and jargon, each unique.
func terms(seed int64, n int) []string {
	if n == 0 {
		return nil
	}
	r := stream(seed, -2)
	syl := []string{"ka", "lo", "ver", "tan", "mi", "dro", "sel", "qu", "ar", "zen", "pol", "ith", "mor", "ux", "ba", "nek", "ris", "tol", "fa", "gor"}
	word := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		return b.String()
	}
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		var t string
		switch r.IntN(4) {
		case 0:
			t = word(2) + "-" + []string{"api", "svc", "worker", "gateway", "sync", "proxy"}[r.IntN(6)]
		case 1:
			t = fmt.Sprintf("%s-%s-%02d", word(1), []string{"db", "cache", "node", "edge"}[r.IntN(4)], r.IntN(100))
		case 2:
			t = "E_" + strings.ToUpper(word(2)) + "_" + []string{"TIMEOUT", "REFUSED", "LIMIT", "STALE"}[r.IntN(4)]
		default:
			t = word(3)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// term draws a term: the first ones often, the rest rarely (about
// Zipf's law, as words in real text).
func term(r *rand.Rand, ts []string) string {
	u := r.Float64()
	return ts[int(float64(len(ts))*u*u*u)]
}

// note writes a filler note in the shape's style: tpls are the note
// templates of the moment.
func (b *builder) note(tpls []string) string {
	r, x := b.r, b.x
	text := x.fill(pick(r, tpls))
	switch b.shape.Style {
	case "prose":
		// more sentences about the same moment, none twice
		pool := append(slices.Clone(tpls), investigateNotes...)
		used := map[string]bool{text: true}
		for range 1 + r.IntN(3) {
			if s := x.fill(pick(r, pool)); !used[s] {
				used[s] = true
				if !strings.HasSuffix(text, ".") && !strings.HasSuffix(text, "?") && !strings.HasSuffix(text, "!") {
					text += "."
				}
				text += " " + s
			}
		}
	case "chat":
		text = strings.TrimSuffix(strings.ToLower(text[:1])+text[1:], ".")
		text = pick(r, []string{"", "", "ok so ", "fyi ", "looks like ", "hmm, ", "+1, "}) + text
	}
	if len(b.terms) > 0 && r.IntN(2) == 0 {
		text += pick(r, []string{" Seen on %s.", " Also %s.", " (%s)", " Related: %s and %s."})
		text = strings.Replace(text, "%s", term(r, b.terms), 1)
		text = strings.Replace(text, "%s", term(r, b.terms), 1)
	}
	return text
}

// ShapeFlags are a shape as a command line gives it: a named shape and
// the dimensions to change, each "" when not given.
type ShapeFlags struct {
	Name                                               string
	Entries, Postmortems, PostmortemWords, Attachments string
	Vocabulary, Style                                  string
}

// Register adds the shape flags to a command's flag set (--shape,
// --entries, --postmortems, --postmortem-words, --attachments,
// --vocabulary, --style).
func (f *ShapeFlags) Register(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&f.Name, "shape", "default", "the corpus's shape: default, light, wide or heavy")
	fs.StringVar(&f.Entries, "entries", "", "scale the timeline entries per incident (1 is about 13)")
	fs.StringVar(&f.Postmortems, "postmortems", "", "the share of incidents with a postmortem (0 to 1)")
	fs.StringVar(&f.PostmortemWords, "postmortem-words", "", "postmortem length in words, as a range such as 600-1500")
	fs.StringVar(&f.Attachments, "attachments", "", "the share of incidents with attachments (0 to 1)")
	fs.StringVar(&f.Vocabulary, "vocabulary", "", "how many extra terms notes draw from")
	fs.StringVar(&f.Style, "style", "", "how notes read: ops, prose or chat")
}

// ShapeOf makes the shape the flags ask for.
func ShapeOf(f ShapeFlags) (Shape, error) {
	name := f.Name
	if name == "" {
		name = "default"
	}
	s, ok := Shapes[name]
	if !ok {
		return s, fmt.Errorf("--shape %q: one of %s", f.Name, strings.Join(ShapeNames(), ", "))
	}
	var err error
	float := func(flag, v string, dst *float64) {
		if v != "" && err == nil {
			if _, e := fmt.Sscan(v, dst); e != nil {
				err = fmt.Errorf("--%s %q: a number", flag, v)
			}
			s.Name = "custom"
		}
	}
	float("entries", f.Entries, &s.Entries)
	float("postmortems", f.Postmortems, &s.Postmortems)
	float("attachments", f.Attachments, &s.Attachments)
	if f.PostmortemWords != "" && err == nil {
		s.PostmortemWords, err = ParseWords(f.PostmortemWords)
		s.Name = "custom"
	}
	if f.Vocabulary != "" && err == nil {
		if _, e := fmt.Sscan(f.Vocabulary, &s.Vocabulary); e != nil {
			err = fmt.Errorf("--vocabulary %q: a number of terms", f.Vocabulary)
		}
		s.Name = "custom"
	}
	if f.Style != "" {
		s.Style, s.Name = f.Style, "custom"
	}
	if err != nil {
		return s, err
	}
	return s, s.Check()
}
