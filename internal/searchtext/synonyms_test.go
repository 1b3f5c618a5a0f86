package searchtext

import (
	"strings"
	"testing"
)

func TestSynonymsExpand(t *testing.T) {
	syn := NewSynonyms(map[string][]string{
		"oom":   {"out of memory", "oomkilled"},
		"login": {"log in", "sign in"},
		"db":    {"database"},
		"":      {"ignored"},
		"lone":  {},
	})
	show := func(q *Query) string {
		var parts []string
		for _, c := range q.Text {
			s := c.Text
			if c.Phrase {
				s = `"` + s + `"`
			}
			if c.Not {
				s = "-" + s
			}
			if len(c.Alt) > 0 {
				s += "{" + strings.Join(c.Alt, "|") + "}"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	}
	for _, c := range []struct{ q, want string }{
		{"pods out of memory", `pods "out of memory"{oom|oomkilled}`},
		{"OOMKilled again", `OOMKilled{oom|out of memory} again`},
		{"users cannot log in", `users cannot "log in"{login|sign in}`},
		{"databases slow", `databases{db} slow`}, // stems compare
		{`"out of memory" -db`, `"out of memory" -db`},
		{"log", "log"},
		{"memory out of", "memory out of"},
	} {
		q, err := ParseQuery(c.q, Vocabulary{})
		if err != nil {
			t.Fatal(err)
		}
		syn.Expand(q)
		if got := show(q); got != c.want {
			t.Errorf("%s: %s; want %s", c.q, got, c.want)
		}
	}
	var none *Synonyms
	q, _ := ParseQuery("oom", Vocabulary{})
	none.Expand(q)
	if len(q.Text[0].Alt) != 0 {
		t.Error("nil synonyms expanded")
	}
}

func TestSynonymsIn(t *testing.T) {
	syn := NewSynonyms(map[string][]string{"oom": {"out of memory", "oomkilled"}, "rollback": {"rolled back"}, "db": {"database"}})
	for text, want := range map[string]string{
		"Pods were OOMKilled twice":             "oom",
		"the job ran out of memory at 02:00":    "oom",
		"out of the memory budget":              "", // the words, not at the same distances
		"memory out":                            "",
		"Rolled back deploy 4411; databases ok": "db rollback",
		"rolling back":                          "rollback", // stems: roll back
		"":                                      "",
	} {
		if got := strings.Join(syn.In(text), " "); got != want {
			t.Errorf("In(%q) = %q; want %q", text, got, want)
		}
	}
	if syn.Key() == "" || syn.Key() == NewSynonyms(map[string][]string{"oom": {"oomkilled"}}).Key() {
		t.Error("the key does not tell the groups apart")
	}
	q, _ := ParseQuery("oom now", Vocabulary{})
	syn.Expand(q)
	if q.Synonyms != syn.Key() || q.Text[0].Group != "oom" {
		t.Errorf("Expand left %+v", q)
	}
}
