package ops

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// recordOnly are the entries that only change fields of the record, so
// that one which leaves the record as it is says nothing new. A note, an
// attachment or a page always says something.
var recordOnly = []string{timeline.Status, timeline.Severity, timeline.Assign, timeline.Unassign, timeline.Tag, timeline.Untag,
	timeline.Set, timeline.Add, timeline.Remove, timeline.Link, timeline.Unlink}

// Unchanged reports whether ch would leave inc's record as it is (apart
// from adding its author to the responders): a set of a field to the
// value it has, an add of values it lists. A bulk edit skips such
// incidents instead of recording an entry that changes nothing.
func Unchanged(s *config.Settings, inc *Incident, ch *change.Change) bool {
	if len(ch.Entries) == 0 || ch.Create != nil || len(ch.Files) > 0 {
		return false
	}
	after := clone(inc.Record)
	for _, e := range ch.Entries {
		if !slices.Contains(recordOnly, e.Type) || e.Milestone != "" {
			return false
		}
		e.By = "" // who made it is not a change of the record
		if err := incident.Apply(after, e, s); err != nil {
			return false
		}
	}
	a, err := json.Marshal(normal(clone(inc.Record)))
	if err != nil {
		return false
	}
	b, err := json.Marshal(normal(after))
	return err == nil && string(a) == string(b)
}

// normal makes empty lists and maps nil, so that a list emptied by a
// removal and one that was never there compare equal.
func normal(r *incident.Incident) *incident.Incident {
	for _, l := range []*[]string{&r.Orgs, &r.Services, &r.Tags, &r.Responders} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(r.Links) == 0 {
		r.Links = nil
	}
	if len(r.Paged) == 0 {
		r.Paged = nil
	}
	if len(r.Roles) == 0 {
		r.Roles = nil
	}
	return r
}

// clone copies a record deeply enough for incident.Apply to change the
// copy only.
func clone(r *incident.Incident) *incident.Incident {
	c := *r
	c.Orgs, c.Services, c.Tags = slices.Clone(r.Orgs), slices.Clone(r.Services), slices.Clone(r.Tags)
	c.Responders, c.Links, c.Paged = slices.Clone(r.Responders), slices.Clone(r.Links), slices.Clone(r.Paged)
	c.Roles = maps.Clone(r.Roles)
	return &c
}
