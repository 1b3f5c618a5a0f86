package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/timeline"
)

// page is an incident's front matter. Hugo lower-cases parameter names,
// so the JSON names are lower case.
type page struct {
	Title        string     `json:"title"`
	Date         time.Time  `json:"date"`
	ID           string     `json:"id"`
	SeverityName string     `json:"severityname"`
	Status       string     `json:"status"`
	Phase        string     `json:"phase"`
	Kind         string     `json:"kind"`
	Summary      string     `json:"summary,omitempty"`
	Impact       string     `json:"impact,omitempty"`
	Severities   []string   `json:"severities"`
	Tags         []string   `json:"tags,omitempty"`
	Orgs         []string   `json:"orgs,omitempty"`
	Services     []string   `json:"services,omitempty"`
	People       []string   `json:"people,omitempty"`
	Roles        []role     `json:"roles,omitempty"`
	Milestones   []stamp    `json:"milestones,omitempty"`
	Links        []link     `json:"links,omitempty"`
	Timeline     []entry    `json:"timeline,omitempty"`
	Postmortem   string     `json:"postmortem,omitempty"` // its status, when there is one
	Attachments  []string   `json:"attachments,omitempty"`
	Year         int        `json:"year"`
	Durations    *durations `json:"durations,omitempty"`
}

type role struct {
	Role   string `json:"role"`
	Person string `json:"person"`
}

type stamp struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
	Show string    `json:"show"`
}

type link struct {
	Kind  string `json:"kind"`
	URL   string `json:"url"`
	Title string `json:"title"`
}

type entry struct {
	At   time.Time `json:"at"`
	Show string    `json:"show"`
	By   string    `json:"by"`
	Type string    `json:"type"`
	Text string    `json:"text"`
}

type durations struct {
	Detect   string `json:"detect,omitempty"`
	Mitigate string `json:"mitigate,omitempty"`
	Resolve  string `json:"resolve,omitempty"`
}

const stampLayout = "2006-01-02 15:04 MST"

// writeConfig writes hugo.json: the taxonomies, 100 incidents a list page,
// incident pages at /incidents/ID/ as sev writes them, and one feed (the
// home page's), as sev has one.
func writeConfig(out string, s *config.Settings) error {
	cfg := map[string]any{
		"baseURL":                    "http://localhost/",
		"title":                      siteTitle(s),
		"languageCode":               "en",
		"paginate":                   100,
		"rssLimit":                   50,
		"disableHugoGeneratorInject": true,
		"outputs": map[string][]string{
			"home": {"HTML", "RSS"}, "section": {"HTML"}, "taxonomy": {"HTML"}, "term": {"HTML"},
		},
		"permalinks": map[string]string{"incidents": "/incidents/:filename/"},
		"taxonomies": map[string]string{
			"severity": "severities", "tag": "tags", "org": "orgs", "service": "services", "person": "people",
		},
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "hugo.json"), data, 0o644)
}

func siteTitle(s *config.Settings) string {
	if s.Name != "" {
		return s.Name + " incidents"
	}
	return "Incidents"
}

// writeSections writes the list pages' own content files: home, the
// incidents section and one section per year, postmortems and search.
func writeSections(out string, lib *library.Library) error {
	files := map[string]map[string]any{
		"_index.md":             {"title": siteTitle(lib.Settings)},
		"incidents/_index.md":   {"title": "Incidents"},
		"postmortems/_index.md": {"title": "Postmortems"},
		"search.md":             {"title": "Search", "layout": "search"},
	}
	for _, inc := range lib.Incidents {
		y := strconv.Itoa(year(inc, lib.Settings))
		files["incidents/"+y+"/_index.md"] = map[string]any{"title": y}
	}
	for name, fm := range files {
		if err := writeContent(filepath.Join(out, "content", name), fm, nil); err != nil {
			return err
		}
	}
	return nil
}

func year(inc *library.Incident, s *config.Settings) int { return inc.Date.In(s.Location()).Year() }

// writeIncidents writes one content file per incident on all cores.
func writeIncidents(out string, lib *library.Library) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	next := make(chan *library.Incident)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for inc := range next {
				if err := writeIncident(out, lib, inc); err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, inc := range lib.Incidents {
		next <- inc
	}
	close(next)
	wg.Wait()
	return first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func writeIncident(out string, lib *library.Library, inc *library.Incident) error {
	d, err := lib.Detail(inc)
	if err != nil {
		return fmt.Errorf("%s: %w", inc.ID(), err)
	}
	p := pageOf(inc, d, lib.Settings)
	var body []byte
	if d.Postmortem != nil {
		body = d.Postmortem.Source[d.Postmortem.Body:]
	}
	name := filepath.Join(out, "content", "incidents", strconv.Itoa(p.Year), inc.ID()+".md")
	return writeContent(name, p, body)
}

// writeContent writes JSON front matter and a Markdown body.
func writeContent(name string, fm any, body []byte) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(fm); err != nil {
		return err
	}
	b.WriteByte('\n')
	b.Write(body)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}

func pageOf(inc *library.Incident, d *library.Detail, s *config.Settings) *page {
	r, loc := inc.Record, s.Location()
	st, _ := s.Status(r.Status)
	p := &page{
		Title: r.Title, Date: inc.Date, ID: r.ID, SeverityName: s.SeverityName(r.Severity),
		Status: r.Status, Phase: st.Phase, Kind: r.EffectiveKind(), Summary: r.Summary, Impact: r.Impact,
		Tags: r.Tags, Orgs: r.Orgs, Services: r.Services, Attachments: inc.Attachments, Year: year(inc, s),
	}
	p.Severities = []string{p.SeverityName}
	p.People = people(r)
	for _, name := range sortedKeys(r.Roles) {
		p.Roles = append(p.Roles, role{Role: name, Person: r.Roles[name]})
	}
	for _, m := range incident.Milestones {
		if t := r.Milestones.Get(m); !t.IsZero() {
			p.Milestones = append(p.Milestones, stamp{Name: m, At: t, Show: t.In(loc).Format(stampLayout)})
		}
	}
	for _, l := range r.Links {
		p.Links = append(p.Links, link{Kind: l.Kind, URL: l.URL, Title: l.Title})
	}
	for _, e := range d.Timeline {
		p.Timeline = append(p.Timeline, entry{At: e.At, Show: e.At.In(loc).Format(stampLayout), By: e.By, Type: e.Type, Text: timeline.Describe(e)})
	}
	p.Durations = durationsOf(inc.Durations)
	if pm := inc.Postmortem; pm != nil {
		p.Postmortem = pm.Status
	}
	return p
}

// people are the incident's role holders, responders and those paged.
func people(r *incident.Incident) []string {
	var out []string
	add := func(h string) {
		if h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	for _, name := range sortedKeys(r.Roles) {
		add(r.Roles[name])
	}
	for _, h := range r.Responders {
		add(h)
	}
	for _, pg := range r.Paged {
		add(pg.Person)
	}
	return out
}

func durationsOf(d incident.Durations) *durations {
	show := func(x time.Duration) string {
		if x <= 0 {
			return ""
		}
		return x.Round(time.Minute).String()
	}
	out := &durations{Detect: show(d.Detect), Mitigate: show(d.Mitigate), Resolve: show(d.Resolve)}
	if *out == (durations{}) {
		return nil
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
