package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/workers"
)

// Check ids of the postmortem policy.
const (
	checkPostmortemOverdue = "postmortem-overdue"
	checkFollowUpOverdue   = "followup-overdue"
)

// recordFacts are what the postmortem checks need from an incident
// record. They are cached with the folder's findings, so an unchanged
// incident is not parsed again to learn them.
type recordFacts struct {
	severity int
	status   string
	kind     string
	resolved time.Time
}

func (f recordFacts) encode() string {
	var ns int64
	if !f.resolved.IsZero() {
		ns = f.resolved.UnixNano()
	}
	return strings.Join([]string{strconv.Itoa(f.severity), f.status, f.kind, strconv.FormatInt(ns, 10)}, "\x1f")
}

func decodeRecordFacts(s string) (recordFacts, bool) {
	parts := strings.Split(s, "\x1f")
	if len(parts) != 4 {
		return recordFacts{}, false
	}
	sev, err1 := strconv.Atoi(parts[0])
	ns, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil {
		return recordFacts{}, false
	}
	f := recordFacts{severity: sev, status: parts[1], kind: parts[2]}
	if ns != 0 {
		f.resolved = time.Unix(0, ns).UTC()
	}
	return f, true
}

// pmFacts are what the cross-checks need from a postmortem: its status,
// follow-ups and references to incidents, with their positions.
type pmFacts struct {
	Status    string    `json:"s,omitempty"`
	StatusPos diag.Pos  `json:"sp"`
	FollowUps []fuFact  `json:"f,omitempty"`
	Refs      []refFact `json:"r,omitempty"`
	Incident  diag.Pos  `json:"i"`
}

type fuFact struct {
	ID     string   `json:"id"`
	Type   string   `json:"t,omitempty"`
	Due    string   `json:"d,omitempty"`
	Status string   `json:"s,omitempty"`
	Pos    diag.Pos `json:"p"`
}

type refFact struct {
	Target   string   `json:"t"`
	Explicit bool     `json:"e,omitempty"`
	Pos      diag.Pos `json:"p"`
}

// checkPostmortems checks every file in postmortems/ on its own (cached
// like an incident folder), then what depends on the rest of the
// repository: that its incident exists, that its links resolve, and, with
// a clock, the policy's deadlines for postmortems and follow-ups.
func checkPostmortems(fsys fs.FS, s *config.Settings, dirs []*incidentDir, opts Options) diag.List {
	var diags diag.List
	ids := make([]string, 0, len(dirs))
	exists := make(map[string]bool, len(dirs))
	for _, d := range dirs {
		ids = append(ids, d.id)
		exists[d.id] = true
	}
	slices.Sort(ids)
	found := map[string]pmFacts{}
	entries, err := fs.ReadDir(fsys, layout.Postmortems)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		diags.Add(diag.Pos{Path: layout.Postmortems}, "read", "%v", err)
	}
	suggest := postmortem.Suggester(ids)
	// Files to check, in order; they are read and checked on all cores.
	type pmFile struct {
		p, id string
		facts pmFacts
		diags diag.List
	}
	var files []*pmFile
	for _, e := range entries {
		name := e.Name()
		p := path.Join(layout.Postmortems, name)
		id, isMD := strings.CutSuffix(name, ".md")
		switch {
		case ignorable(name) || p == postmortem.TemplateFile:
			continue
		case !e.Type().IsRegular():
			diags.Add(diag.Pos{Path: p}, "file-type", "this is not a regular file; postmortems are Markdown files")
			continue
		case !isMD || !incident.ValidID(id):
			diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; postmortems are postmortems/<incident-id>.md (the template is %s)", postmortem.TemplateFile)
			continue
		}
		files = append(files, &pmFile{p: p, id: id})
	}
	workers.Each(len(files), func(i int) {
		f := files[i]
		f.facts, f.diags = postmortemFile(fsys, s, f.p, f.id, opts)
	})
	for _, f := range files {
		p, id, facts := f.p, f.id, f.facts
		diags.Append(f.diags)
		found[id] = facts
		if !exists[id] {
			at := facts.Incident
			if at.Line == 0 {
				at = diag.Pos{Path: p, Line: 1, Col: 1}
			}
			msg := fmt.Sprintf("there is no incident %s for this postmortem", id)
			if sug := suggest(id); sug != "" {
				msg += fmt.Sprintf("; did you mean %s (rename the file)?", sug)
			}
			diags.Add(at, postmortem.CheckPostmortem, "%s", msg)
		}
		if len(facts.Refs) == 0 {
			continue
		}
		refs := make([]postmortem.Ref, len(facts.Refs))
		for i, r := range facts.Refs {
			refs[i] = postmortem.Ref{Target: r.Target, Explicit: r.Explicit, Pos: r.Pos}
		}
		diags.Append(postmortem.CheckLinks(refs, func(id string) bool { return exists[id] }, suggest))
	}
	if opts.Now.IsZero() {
		return diags
	}
	for _, d := range dirs {
		rec, ok := decodeRecordFacts(d.facts)
		if !ok {
			continue
		}
		phase := ""
		if st, ok := s.Status(rec.status); ok {
			phase = st.Phase
		}
		pm, has := found[d.id]
		if due, ok := postmortem.Deadline(s, rec.severity, rec.kind, phase, rec.resolved); ok && opts.Now.After(due) && pm.Status != "published" {
			days := int(opts.Now.Sub(due)/(24*time.Hour)) + 1
			days0, _ := s.Postmortems.PostmortemDays(rec.severity)
			when := fmt.Sprintf("due %s, %d day(s) after it was resolved (%s)", due.In(s.Location()).Format("2006-01-02"), days0, s.SeverityName(rec.severity))
			if has {
				diags.Warn(pm.StatusPos, checkPostmortemOverdue, "the postmortem of %s is %d day(s) overdue: %s, and it is still %s; publish it with sev postmortem %s --status published", d.id, days, when, pm.Status, d.id)
			} else {
				diags.Warn(diag.Pos{Path: layout.Postmortem(d.id)}, checkPostmortemOverdue, "%s has no postmortem and it is %d day(s) overdue: %s; start one with sev postmortem %s", d.id, days, when, d.id)
			}
		}
		if !has {
			continue
		}
		for _, f := range pm.FollowUps {
			item := postmortem.FollowUp{ID: f.ID, Type: f.Type, Due: f.Due, Status: f.Status}
			if !item.Open() {
				continue
			}
			day, ok := postmortem.FollowUpDue(s, item, rec.resolved)
			if !ok {
				continue
			}
			if late, days := postmortem.Overdue(day, opts.Now); late {
				how := "its due date"
				if f.Due == "" {
					weeks, _ := s.Postmortems.FollowUpWeeks(f.Type)
					how = fmt.Sprintf("the policy for %s follow-ups (%d weeks after resolution)", f.Type, weeks)
				}
				diags.Warn(f.Pos, checkFollowUpOverdue, "follow-up %s of %s is %d day(s) overdue: due %s by %s; finish it (sev followup done %s %s) or set a new due date", f.ID, d.id, days, day.Format("2006-01-02"), how, d.id, f.ID)
			}
		}
	}
	return diags
}

// postmortemFile checks one postmortem on its own and extracts its facts,
// from the cache when the file has not changed.
func postmortemFile(fsys fs.FS, s *config.Settings, p, id string, opts Options) (pmFacts, diag.List) {
	cached := opts.Cache != nil && opts.Base == nil
	if cached {
		if r, ok := opts.Cache.Lookup(p); ok {
			var f pmFacts
			if json.Unmarshal([]byte(r.Facts), &f) == nil {
				return f, r.Diags
			}
		}
	}
	var diags diag.List
	var facts pmFacts
	data, err := readCapped(fsys, p, s.Limits.Postmortem, &diags)
	if err == nil {
		doc, d := postmortem.Parse(p, data)
		diags.Append(d)
		diags.Append(postmortem.Check(doc, s, id))
		facts = pmFacts{Status: doc.Meta.Status, StatusPos: doc.At("status"), Incident: doc.At("incident")}
		for i, f := range doc.Meta.FollowUps {
			facts.FollowUps = append(facts.FollowUps, fuFact{ID: f.ID, Type: f.Type, Due: f.Due, Status: f.Status, Pos: doc.At(fmt.Sprintf("follow-ups[%d]", i))})
		}
		if doc.Front != nil { // without front matter, where the body starts is unknown
			for _, r := range doc.ParseBody().Refs {
				facts.Refs = append(facts.Refs, refFact{Target: r.Target, Explicit: r.Explicit, Pos: r.Pos})
			}
		}
	}
	if cached {
		b, _ := json.Marshal(facts)
		opts.Cache.Store(p, []string{p}, Result{Diags: diags, Facts: string(b)})
	}
	return facts, diags
}
