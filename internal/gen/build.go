package gen

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// spec is what the plan decides about one incident; build writes the rest
// from the incident's own random stream, so incidents can be built on any
// goroutine in any order with the same result.
type spec struct {
	r          *rand.Rand
	id, title  string
	declared   time.Time
	sc         *scenario
	f          facts
	severity   int // the final severity
	status     string
	kind       string
	visibility string
	plants     []int // indexes into plants
	shape      *Shape
	terms      []string // the shape's extra vocabulary
}

// file is one generated file.
type file struct {
	path string
	data []byte
}

// phases are the times of an incident's milestones; zero means not reached.
type phases struct {
	started, detected, declared, ack, mitigated, resolved, closed, declined time.Time
	// window ends the active response: mitigation, the decline, or for
	// incidents still open a while after the declaration.
	window time.Time
	end    time.Time // the latest time anything may happen
}

// phases draws when the incident's milestones happen, by severity, and
// settles its status: a milestone after end has not happened yet.
func (s *spec) phases(end time.Time) phases {
	r := s.r
	p := phases{declared: s.declared, end: end}
	p.started = p.declared.Add(-logUniform(r, time.Minute, []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour}[s.severity-1]))
	if r.IntN(10) < 7 {
		p.detected = p.started.Add(time.Duration(r.Float64() * float64(p.declared.Sub(p.started)))).Truncate(time.Second)
	}
	p.ack = p.declared.Add(logUniform(r, 20*time.Second, 15*time.Minute))
	ttm := [][2]time.Duration{{5 * time.Minute, 4 * time.Hour}, {10 * time.Minute, 10 * time.Hour}, {15 * time.Minute, 72 * time.Hour}}[s.severity-1]
	mitigated := p.ack.Add(logUniform(r, ttm[0], ttm[1]))
	resolved := mitigated.Add(logUniform(r, 5*time.Minute, 48*time.Hour))
	closed := resolved.Add(logUniform(r, 24*time.Hour, 40*24*time.Hour))
	declined := p.ack.Add(logUniform(r, 2*time.Minute, 3*time.Hour))
	// A milestone after the end of the generated period has not happened
	// yet: the incident is still in an earlier status, as recent ones are.
	want := slices.Index([]string{"open", "mitigated", "resolved", "closed"}, s.status) // -1 for declined
	s.status = "open"
	if want < 0 && !declined.After(end) {
		s.status, p.declined = "declined", declined
	}
	steps := []struct {
		status string
		at     time.Time
		set    *time.Time
	}{{"mitigated", mitigated, &p.mitigated}, {"resolved", resolved, &p.resolved}, {"closed", closed, &p.closed}}
	for i, st := range steps {
		if i >= want || st.at.After(end) {
			break
		}
		s.status, *st.set = st.status, st.at
	}
	if p.ack.After(end) {
		p.ack = time.Time{}
	}
	switch {
	case !p.mitigated.IsZero():
		p.window = p.mitigated
	case !p.declined.IsZero():
		p.window = p.declined
	default:
		p.window = earlier(p.declared.Add(logUniform(r, 30*time.Minute, 12*time.Hour)), end)
	}
	s.f.declared, s.f.mitigated, s.f.resolved = p.declared, mitigated, resolved
	return p
}

// draft is a timeline entry before its id is known.
type draft struct{ timeline.Entry }

// created is when the entry was written: its id sorts by this.
func (d draft) created() time.Time {
	if !d.Recorded.IsZero() {
		return d.Recorded
	}
	return d.At
}

// builder writes one incident.
type builder struct {
	*spec
	x      expander
	p      phases
	ros    *roster
	rec    *incident.Incident
	drafts []draft
	files  map[string][]byte // attachments, by path
	pm     bool              // whether the incident gets a postmortem
}

// built is one incident's files: record, timeline, attachments and, for
// some, a postmortem.
type built struct {
	files       []file
	entries     int
	attachments int
	postmortem  bool
}

// build writes the incident. The record, timeline and attachments come
// out of change.Apply, the code path every sev command takes, so they are
// byte for byte what sev writes.
func (s *spec) build(set *config.Settings, ros *roster, end time.Time) (built, error) {
	b := &builder{spec: s, ros: ros, files: map[string][]byte{}}
	b.x = expander{r: s.r, f: &s.f}
	b.p = s.phases(end)
	b.record()
	b.response()
	b.resolution()
	b.attachments()
	b.extras(s.shape.scaledEntries(entryCount(s.r, s.severity)))
	entries := b.finish()
	ch := &change.Change{Incident: s.id, Create: b.rec, Entries: entries, Files: b.files}
	out, err := ch.Apply(set, func(string) ([]byte, bool, error) { return nil, false, nil })
	if err != nil {
		return built{}, fmt.Errorf("gen: %s: %w", s.id, err)
	}
	rec, tl := layout.Record(s.id), layout.Timeline(s.id)
	res := built{files: []file{{rec, out[rec]}, {tl, out[tl]}}, entries: len(entries), attachments: len(b.files)}
	for _, p := range slices.Sorted(maps.Keys(b.files)) {
		res.files = append(res.files, file{p, out[p]})
	}
	if pm := b.postmortem(entries); pm != nil {
		res.files = append(res.files, file{layout.Postmortem(s.id), pm})
		res.postmortem = true
	}
	return res, nil
}

func (b *builder) add(by, typ string, at time.Time, set func(*timeline.Entry)) {
	if at.After(b.p.end) {
		at = b.p.end
	}
	e := timeline.Entry{At: at, By: by, Type: typ}
	if set != nil {
		set(&e)
	}
	b.drafts = append(b.drafts, draft{e})
}

// between returns a time in [a, b], or a when b is not after a.
func (b *builder) between(lo, hi time.Time) time.Time {
	if !hi.After(lo) {
		return lo
	}
	return lo.Add(time.Duration(b.r.Int64N(int64(hi.Sub(lo))))).Truncate(time.Second)
}

// record is what `sev declare` creates, with the declared entry.
func (b *builder) record() {
	r, f := b.r, &b.f
	rec := &incident.Incident{
		ID: b.id, Title: b.title, Severity: b.severity, Status: "open", Kind: b.kind,
		Milestones: incident.Times{Started: b.p.started, Detected: b.p.detected, Declared: b.p.declared},
		Orgs:       slices.Clone(b.sc.orgs[:1+r.IntN(len(b.sc.orgs))]),
		Services:   []string{f.svc},
	}
	if b.visibility == "restricted" || (b.visibility == "public" && r.IntN(2) == 0) {
		rec.Visibility = b.visibility
	}
	if r.IntN(2) == 0 {
		rec.Summary = b.x.fill(pick(r, summaryTexts))
	}
	if r.IntN(10) < 7 {
		rec.Tags = []string{b.sc.tags[0]}
	}
	if r.IntN(10) < 8 {
		rec.Roles = map[string]string{"commander": f.people[0]}
	}
	if r.IntN(2) == 0 {
		rec.Links = []incident.Link{b.chatLink()}
	}
	initial := b.severity
	if r.IntN(100) < 15 {
		initial = min(3, max(1, b.severity+[]int{-1, 1}[r.IntN(2)]))
	}
	rec.Severity = initial
	b.rec = rec
	declarer := f.people[0]
	if r.IntN(5) == 0 {
		declarer = b.ros.pick(r, "support")
	} else if r.IntN(2) == 0 {
		declarer = pick(r, f.people)
	}
	b.add(declarer, timeline.Declared, b.p.declared, func(e *timeline.Entry) { e.Severity, e.Status, e.Key = initial, "open", true })
	if initial != b.severity {
		b.add(f.people[0], timeline.Severity, b.between(b.p.declared, b.p.window), func(e *timeline.Entry) {
			e.Severity, e.Text, e.Key = b.severity, pick(r, severityNotes), true
		})
	}
}

func (b *builder) chatLink() incident.Link {
	slug := b.id[11:]
	if len(slug) > 24 {
		slug = slug[:24]
	}
	return incident.Link{Kind: "chat", URL: fmt.Sprintf("https://chat.example.com/archives/C%08d", b.r.IntN(1e8)), Title: "#inc-" + slug}
}

// response is the acknowledgement, roles, links and tags of the first hour.
func (b *builder) response() {
	r, f, p := b.r, &b.f, &b.p
	cmd := f.people[0]
	if !p.ack.IsZero() {
		b.add(cmd, timeline.Note, p.ack, func(e *timeline.Entry) { e.Text, e.Milestone, e.Key = pick(r, ackNotes), "acknowledged", true })
	}
	start := p.declared
	if !p.ack.IsZero() {
		start = p.ack
	}
	early := func() time.Time { return b.between(start, earlier(p.window, start.Add(time.Hour))) }
	if b.rec.Roles == nil {
		b.add(b.ros.pick(r, "sre"), timeline.Assign, early(), func(e *timeline.Entry) { e.Role, e.Person = "commander", cmd })
	}
	odds := map[string][3]int{"scribe": {80, 50, 10}, "comms": {90, 40, 5}, "deputy": {40, 10, 0}}
	for _, role := range []string{"scribe", "comms", "deputy"} {
		if r.IntN(100) < odds[role][b.severity-1] && len(f.people) > 1 {
			who := f.people[1+r.IntN(len(f.people)-1)]
			if role == "comms" {
				who = b.ros.pick(r, []string{"support", "pr"}[r.IntN(2)])
			}
			b.add(cmd, timeline.Assign, early(), func(e *timeline.Entry) { e.Role, e.Person = role, who })
		}
	}
	if b.sc.name == "security" && r.IntN(10) < 7 {
		b.add(cmd, timeline.Assign, early(), func(e *timeline.Entry) { e.Role, e.Person = "legal", b.ros.pick(r, "legal") })
	}
	if b.severity == 1 && r.IntN(10) < 3 {
		b.add(cmd, timeline.Assign, early(), func(e *timeline.Entry) { e.Role, e.Person = "pr", b.ros.pick(r, "pr") })
	}
	b.links(early)
	for _, t := range b.sc.tags {
		if !slices.Contains(b.rec.Tags, t) && r.IntN(10) < 6 {
			b.add(pick(r, f.people), timeline.Tag, early(), func(e *timeline.Entry) { e.Tag = t })
		}
	}
	if r.IntN(10) < 2 {
		b.add(pick(r, f.people), timeline.Add, early(), func(e *timeline.Entry) { e.Field, e.Value = "services", f.svc2 })
	}
	if r.IntN(10) < 3 {
		b.add(cmd, timeline.Add, early(), func(e *timeline.Entry) { e.Field, e.Value = "orgs", pick(r, []string{"support", "sre", "platform"}) })
	}
}

func (b *builder) links(at func() time.Time) {
	r, f := b.r, &b.f
	if len(b.rec.Links) == 0 && r.IntN(3) == 0 {
		l := b.chatLink()
		b.add(f.people[0], timeline.Link, at(), func(e *timeline.Entry) { e.Field, e.URL, e.Text = l.Kind, l.URL, l.Title })
	}
	if b.severity < 3 && r.IntN(10) < 7 {
		url := fmt.Sprintf("https://meet.example.com/%s-%s-%s", code(r, 3), code(r, 4), code(r, 3))
		b.add(f.people[0], timeline.Link, at(), func(e *timeline.Entry) { e.Field, e.URL = "call", url })
	}
	if r.IntN(10) < 6 {
		b.add(pick(r, f.people), timeline.Link, at(), func(e *timeline.Entry) {
			e.Field, e.URL, e.Text = "dashboard", "https://grafana.example.com/d/"+f.svc, f.svc+" overview"
		})
	}
	if r.IntN(10) < 3 {
		b.add(pick(r, f.people), timeline.Link, at(), func(e *timeline.Entry) {
			e.Field, e.URL = "ticket", fmt.Sprintf("https://jira.example.com/browse/OPS-%d", 1000+r.IntN(90000))
		})
	}
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func code(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}
