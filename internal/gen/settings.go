package gen

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path"
	"slices"
	"strconv"
	"strings"

	sev "github.com/sev-dev/sev"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/layout"
)

// roster is the organisation's people.
type roster struct {
	people []config.Person // sorted by handle, as sev.yaml lists them
	// byOrg lists handles per org in a seeded order; pick favours the
	// first ones, so a few people carry most of the load, as in real
	// on-call rotations.
	byOrg map[string][]string
}

func newRoster(r *rand.Rand) *roster {
	ros := &roster{byOrg: map[string][]string{}}
	combos := r.Perm(len(firstNames) * len(lastNames))
	next := 0
	for oi, o := range orgs {
		for range orgSizes[oi] {
			c := combos[next]
			next++
			first, last := firstNames[c%len(firstNames)], lastNames[c/len(firstNames)]
			plain := strings.ReplaceAll(last, "-", "")
			p := config.Person{
				Handle:   first + "-" + last,
				Name:     title(first) + " " + title(strings.ReplaceAll(last, "-", " ")),
				Email:    first + "." + plain + "@example.com",
				GitHub:   first + plain,
				Timezone: pick(r, timezones),
				Orgs:     []string{o[0]},
			}
			ros.people = append(ros.people, p)
			ros.byOrg[o[0]] = append(ros.byOrg[o[0]], p.Handle)
		}
	}
	slices.SortFunc(ros.people, func(a, b config.Person) int { return strings.Compare(a.Handle, b.Handle) })
	return ros
}

func title(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// pick returns someone from org, favouring the first in its list.
func (ros *roster) pick(r *rand.Rand, org string) string {
	hs := ros.byOrg[org]
	return hs[int(float64(len(hs))*pow2(r.Float64()))]
}

// team picks the responders of an incident: the commander first (from
// SRE or the scenario's first org), then two to seven others.
func (ros *roster) team(r *rand.Rand, sc *scenario) []string {
	cmdOrg := "sre"
	if r.IntN(2) == 0 && sc.orgs[0] != "legal" && sc.orgs[0] != "support" {
		cmdOrg = sc.orgs[0]
	}
	team := []string{ros.pick(r, cmdOrg)}
	size := 3 + r.IntN(6)
	for try := 0; len(team) < size && try < 40; try++ { // small orgs may run out of people
		org := sc.orgs[r.IntN(len(sc.orgs))]
		if r.IntN(3) == 0 {
			org = "engineering"
		}
		if h := ros.pick(r, org); !slices.Contains(team, h) {
			team = append(team, h)
		}
	}
	return team
}

// settingsFile is sev.yaml: `sev init`'s template with the organisation's
// vocabulary filled in, so `sev validate` checks every name in the
// generated incidents.
func settingsFile(ros *roster) ([]byte, error) {
	tpl, err := config.Template("Example Corp", "UTC")
	if err != nil {
		return nil, err
	}
	var o, t, s, p strings.Builder
	o.WriteString("orgs:\n")
	for _, x := range orgs {
		fmt.Fprintf(&o, "  - name: %s\n    description: %s\n", x[0], strconv.Quote(x[1]))
	}
	t.WriteString("tags:\n")
	for _, x := range tags {
		fmt.Fprintf(&t, "  - name: %s\n", x)
	}
	s.WriteString("services:\n")
	for _, x := range allServices() {
		fmt.Fprintf(&s, "  - name: %s\n", x)
	}
	p.WriteString("people:\n")
	for _, x := range ros.people {
		fmt.Fprintf(&p, "  - handle: %s\n    name: %s\n    email: %s\n    github: %s\n    timezone: %s\n    orgs: [%s]\n",
			x.Handle, strconv.Quote(x.Name), x.Email, x.GitHub, x.Timezone, strings.Join(x.Orgs, ", "))
	}
	out := string(tpl)
	for _, kv := range [][2]string{{"orgs", o.String()}, {"tags", t.String()}, {"services", s.String()}, {"people", p.String()}} {
		empty := "\n" + kv[0] + ": []\n"
		if strings.Count(out, empty) != 1 {
			return nil, fmt.Errorf("gen: config.Template no longer has a line %q; update settingsFile", strings.TrimSpace(empty))
		}
		out = strings.Replace(out, empty, "\n"+kv[1], 1)
	}
	// A generated history has no review practice to enforce: every old
	// draft would be reported overdue.
	cut := strings.Index(out, "\n# The postmortem practice")
	if cut < 0 {
		return nil, fmt.Errorf("gen: config.Template no longer has the postmortem policy; update settingsFile")
	}
	out = out[:cut] + "\n# No postmortem policy: this is a generated history.\npostmortems:\n  due: []\n  follow-ups: []\n"
	return []byte(out), nil
}

func allServices() []string {
	var all []string
	for _, l := range [][]string{services, databases, caches, brokers} {
		all = append(all, l...)
	}
	slices.Sort(all)
	return all
}

// skeleton is what `sev init` writes besides sev.yaml: the JSON Schemas
// and the top-level folders.
func skeleton() ([]file, error) {
	var files []file
	for _, d := range []string{layout.Incidents, layout.Postmortems, layout.Rotations, layout.Rules} {
		files = append(files, file{path.Join(d, ".gitkeep"), nil})
	}
	err := fs.WalkDir(sev.Schemas, "schema", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sev.Schemas, p)
		files = append(files, file{p, data})
		return err
	})
	return files, err
}
