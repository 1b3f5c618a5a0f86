package gen

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/sev-dev/sev/internal/timeline"
)

// entryCount is how many timeline entries an incident aims for: 5 to 40,
// most between 8 and 15, more for severe incidents.
func entryCount(r *rand.Rand, severity int) int {
	var n int
	switch u := r.IntN(100); {
	case u < 12:
		n = 5 + r.IntN(3)
	case u < 82:
		n = 8 + r.IntN(8)
	case u < 95:
		n = 16 + r.IntN(10)
	default:
		n = 26 + r.IntN(15)
	}
	if severity == 1 {
		n += r.IntN(6)
	}
	return min(n, 40)
}

// pmOdds is the per-mille chance of a postmortem by severity, for
// incidents that are over: about 40% of all incidents get one.
var pmOdds = [3]int{900, 620, 235}

// resolution is mitigation, resolution, closing or declining, and the
// record fields people fill in once the fire is out.
func (b *builder) resolution() {
	r, f, p := b.r, &b.f, &b.p
	cmd := f.people[0]
	if !p.mitigated.IsZero() {
		fix := b.x.fill(pick(r, b.sc.fixes))
		if r.IntN(2) == 0 {
			b.add(cmd, timeline.Status, p.mitigated, func(e *timeline.Entry) { e.Status, e.Text, e.Key = "mitigated", fix, true })
		} else {
			b.add(pick(r, f.people), timeline.Note, p.mitigated, func(e *timeline.Entry) { e.Text, e.Milestone, e.Key = fix, "mitigated", true })
		}
	}
	if b.visibility == "public" && b.rec.Visibility == "" {
		b.add(b.ros.pick(r, "support"), timeline.Set, b.between(p.declared, p.window), func(e *timeline.Entry) { e.Field, e.Value = "visibility", "public" })
	}
	if !p.declined.IsZero() {
		b.add(cmd, timeline.Status, p.declined, func(e *timeline.Entry) { e.Status, e.Text, e.Key = "declined", pick(r, declineNotes), true })
		return
	}
	if p.resolved.IsZero() {
		return
	}
	b.add(cmd, timeline.Status, p.resolved, func(e *timeline.Entry) {
		e.Status, e.Key = "resolved", true
		if r.IntN(3) == 0 {
			e.Text = "Fix deployed to all regions"
		}
	})
	after := func() time.Time { return b.between(p.resolved, p.resolved.Add(2*time.Hour)) }
	if r.IntN(10) < 6 {
		b.add(cmd, timeline.Set, after(), func(e *timeline.Entry) { e.Field, e.Value = "impact", b.x.fill(pick(r, impactTexts)) })
	}
	if b.rec.Summary == "" && r.IntN(10) < 7 {
		b.add(cmd, timeline.Set, after(), func(e *timeline.Entry) { e.Field, e.Value = "summary", b.x.fill(pick(r, summaryTexts)) })
	}
	b.pm = b.kind != "maintenance" && r.IntN(1000) < b.shape.postmortemOdds(b.severity)
	if b.pm {
		end := p.closed
		if end.IsZero() {
			end = p.end
		}
		b.add(cmd, timeline.Link, b.between(p.resolved, earlier(end, p.resolved.Add(14*24*time.Hour))), func(e *timeline.Entry) {
			e.Field, e.URL, e.Text = "doc", "https://github.com/example/incidents/blob/main/postmortems/"+b.id+".md", "Postmortem"
		})
	}
	if !p.closed.IsZero() {
		b.add(cmd, timeline.Status, p.closed, func(e *timeline.Entry) {
			e.Status, e.Key = "closed", true
			if r.IntN(3) == 0 {
				e.Text = "All follow-ups are filed"
			}
		})
	}
}

// extras adds the planted phrases, a back-dated note for some, and notes
// until the incident has about target entries.
func (b *builder) extras(target int) {
	r, f, p := b.r, &b.f, &b.p
	start := p.declared
	if !p.ack.IsZero() {
		start = p.ack
	}
	for _, pi := range b.plants {
		b.add(pick(r, f.people), timeline.Note, b.between(start, p.window), func(e *timeline.Entry) { e.Text = b.x.fill(pick(r, plants[pi].notes)) })
	}
	if b.kind != "backfill" && r.IntN(10) == 0 {
		rec := b.between(start, p.window)
		b.add(pick(r, f.people), timeline.Note, b.between(p.started, p.declared), func(e *timeline.Entry) {
			e.Text, e.Recorded = b.x.fill(pick(r, backdateNotes)), rec
		})
	}
	for len(b.drafts) < target {
		lo, hi, tpls := b.fillerPhase()
		b.add(b.author(), timeline.Note, b.between(lo, hi), func(e *timeline.Entry) {
			e.Text = b.note(tpls)
			e.Key = r.IntN(20) == 0
			e.Public = b.visibility == "public" && r.IntN(5) == 0
		})
	}
}

// fillerPhase picks when a note is written and what it is about: most are
// written while responders investigate, fewer once it is mitigated.
func (b *builder) fillerPhase() (lo, hi time.Time, tpls []string) {
	r, p := b.r, &b.p
	start := p.declared
	if !p.ack.IsZero() {
		start = p.ack
	}
	u := r.IntN(100)
	switch {
	case u < 10 && !p.resolved.IsZero():
		end := p.closed
		if end.IsZero() {
			end = earlier(p.resolved.Add(72*time.Hour), p.end)
		}
		return p.resolved, end, followupNotes
	case u < 35 && !p.mitigated.IsZero():
		end := p.resolved
		if end.IsZero() {
			end = earlier(p.mitigated.Add(6*time.Hour), p.end)
		}
		return p.mitigated, end, mitigatingNotes
	case u < 60:
		return start, p.window, b.sc.investigate
	}
	return start, p.window, investigateNotes
}

// author picks who writes a note: the commander and scribe most often.
func (b *builder) author() string {
	ps := b.f.people
	return ps[int(float64(len(ps))*pow2(b.r.Float64()))]
}

func pow2(u float64) float64 { return u * u }

// finish orders the drafts as they were written, records back-filled
// incidents as written after the fact, and gives every entry its id.
func (b *builder) finish() []timeline.Entry {
	slices.SortStableFunc(b.drafts, func(x, y draft) int { return x.created().Compare(y.created()) })
	if b.kind == "backfill" {
		last := b.drafts[len(b.drafts)-1].At
		at := last.Add(logUniform(b.r, time.Hour, 72*time.Hour))
		if at.Add(time.Duration(len(b.drafts)) * 90 * time.Second).Before(b.p.end) {
			for i := range b.drafts {
				at = at.Add(time.Duration(20+b.r.IntN(70)) * time.Second)
				b.drafts[i].Recorded = at
			}
		}
	}
	out := make([]timeline.Entry, len(b.drafts))
	seen := make(map[string]bool, len(b.drafts))
	for i, d := range b.drafts {
		for {
			d.ID = entryID(d.created().Add(time.Duration(b.r.IntN(1000))*time.Millisecond), b.r)
			if !seen[d.ID] {
				break
			}
		}
		seen[d.ID] = true
		out[i] = d.Entry
	}
	return out
}

// entryID has the shape of timeline.NewID (milliseconds and six random
// characters in lower-case Crockford base32) but draws the random part from
// the incident's stream, so the output is reproducible.
func entryID(t time.Time, r *rand.Rand) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := 9; i >= 0; i-- {
		b[i] = alphabet[ms&31]
		ms >>= 5
	}
	for i := 10; i < 16; i++ {
		b[i] = alphabet[r.IntN(32)]
	}
	return string(b[:])
}
