package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/rotation"
)

// maxRows is how many people or tags a chart shows; the table and the
// JSON have all of them.
const maxRows = 15

// respondersData is the JSON of who responds to incidents.
type respondersData struct {
	Window windowData  `json:"window"`
	People []responder `json:"people"`
}

// responder is one person's part in the incidents of the window. Entries
// are the timeline entries they wrote; OffHours those outside their
// working hours, Night those between 22:00 and 07:00, OffHoursNight those
// that are both, all in their own time zone.
type responder struct {
	Person        string         `json:"person"`
	Incidents     int            `json:"incidents"`
	Roles         map[string]int `json:"roles,omitempty"`
	Responder     int            `json:"responder,omitempty"`
	Paged         int            `json:"paged,omitempty"`
	Entries       int            `json:"entries"`
	OffHours      int            `json:"off_hours_entries"`
	Night         int            `json:"night_entries"`
	OffHoursNight int            `json:"off_hours_night_entries"`
}

// respondersReport shows who responds to incidents, how often, and how
// much of it happens outside their working hours or at night.
func (e *env) respondersReport() Report {
	s := e.buckets(monthly, 12, maxBars, time.Time{})
	people := map[string]*responder{}
	seen := map[string]map[string]bool{} // person → incident IDs
	handles := map[string]string{}       // as written → canonical, as sev.yaml's people are searched one by one
	get := func(who, id string) *responder {
		handle, ok := handles[who]
		if !ok {
			handle = canonical(e.s, who)
			handles[who] = handle
		}
		r := people[handle]
		if r == nil {
			r = &responder{Person: handle, Roles: map[string]int{}}
			people[handle], seen[handle] = r, map[string]bool{}
		}
		if !seen[handle][id] {
			seen[handle][id] = true
			r.Incidents++
		}
		return r
	}
	cals := map[string]rotation.Calendar{}
	for _, inc := range e.lib.Incidents {
		if e.phase(inc) == config.PhaseDeclined || s.index(inc.Date) < 0 || !inc.Date.Before(e.now) {
			continue
		}
		e.countResponse(inc, get, cals)
	}
	data := respondersData{Window: s.window(), People: []responder{}}
	for _, r := range people {
		if len(r.Roles) == 0 {
			r.Roles = nil
		}
		data.People = append(data.People, *r)
	}
	sort.Slice(data.People, func(i, j int) bool {
		a, b := data.People[i], data.People[j]
		if a.Incidents != b.Incidents {
			return a.Incidents > b.Incidents
		}
		if a.Entries != b.Entries {
			return a.Entries > b.Entries
		}
		return a.Person < b.Person
	})
	title := "Responder load"
	caption := fmt.Sprintf("Who responded to the incidents declared over %s: the bars count the timeline entries each person wrote, "+
		"split by when they wrote them in their own time zone (sev.yaml people: timezone and working-hours, by default %s and "+
		"Monday to Friday 09:00–17:00): in working hours, off-hours, and at night (22:00–07:00). "+
		"The note after each bar counts the incidents the person took part in (a role, the responders, a page or a timeline entry) "+
		"and their most frequent role. A few people carrying most of the night-time work is a sign to spread the load. "+
		"Drills and maintenance count, declined incidents do not.", s.describe(), e.loc)
	return Report{ID: "responders", Title: title, Caption: caption, SVG: e.respondersChart(data, title, caption),
		Table: respondersTable(data), Data: data}
}

// countResponse adds one incident's roles, responders, pages and
// timeline entries to the people who did them.
func (e *env) countResponse(inc *library.Incident, get func(handle, id string) *responder, cals map[string]rotation.Calendar) {
	id := inc.ID()
	for role, h := range inc.Record.Roles {
		if strings.TrimSpace(h) != "" {
			get(h, id).Roles[role]++
		}
	}
	for _, h := range inc.Record.Responders {
		get(h, id).Responder++
	}
	for _, p := range inc.Record.Paged {
		get(p.Person, id).Paged++
	}
	for _, p := range inc.Notified {
		get(p, id).Paged++
	}
	for _, a := range inc.Activity {
		if strings.TrimSpace(a.By) == "" {
			continue
		}
		r := get(a.By, id)
		cal, ok := cals[r.Person]
		if !ok {
			cal, _ = rotation.CalendarOf(e.s, r.Person) // a malformed calendar falls back to the default
			cals[r.Person] = cal
		}
		at := a.At()
		off, night := !cal.Working(at), cal.Night(at)
		r.Entries++
		if off {
			r.OffHours++
		}
		if night {
			r.Night++
		}
		if off && night {
			r.OffHoursNight++
		}
	}
}

// canonical is the handle of the person a handle, email or GitHub login
// belongs to, or the name as written when sev.yaml does not list them.
func canonical(s *config.Settings, who string) string {
	who = strings.TrimSpace(who)
	if p, ok := s.Person(who); ok {
		return p.Handle
	}
	return who
}

// topRole is the role a person held most often, and how often.
func (e *env) topRole(roles map[string]int) (string, int) {
	names := make([]string, 0, len(roles))
	for r := range roles {
		names = append(names, r)
	}
	order := func(r string) int {
		if i := slices.IndexFunc(e.s.Roles, func(n config.Named) bool { return n.Name == r }); i >= 0 {
			return i
		}
		return len(e.s.Roles)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if roles[a] != roles[b] {
			return roles[a] > roles[b]
		}
		if order(a) != order(b) {
			return order(a) < order(b)
		}
		return a < b
	})
	if len(names) == 0 {
		return "", 0
	}
	return names[0], roles[names[0]]
}

func (e *env) respondersChart(data respondersData, title, caption string) []byte {
	ch := hbarChart{id: "responders", series: loadSeries, unit: "timeline entries", emptyMsg: "No incident responses in this period"}
	for i, p := range data.People {
		if i == maxRows {
			ch.more = len(data.People) - maxRows
			break
		}
		vals := []float64{float64(p.Entries - p.OffHours), float64(p.OffHours - p.OffHoursNight), float64(p.OffHoursNight)}
		note := plural(p.Incidents, "incident")
		if role, n := e.topRole(p.Roles); n > 0 {
			note += fmt.Sprintf(", %d as %s", n, trunc(role, 20))
		}
		tips := make([]string, len(vals))
		for k, v := range vals {
			tips[k] = fmt.Sprintf("%s: %s, %s", p.Person, plural(int(v), "entry"), loadSeries[k].name)
		}
		ch.rows = append(ch.rows, hrow{label: p.Person, values: vals, note: note, tips: tips})
	}
	if len(data.People) > 0 {
		ch.emptyMsg = "No timeline entries in this period"
	}
	return ch.svg(title, caption)
}

func respondersTable(data respondersData) Table {
	t := Table{Columns: []string{"Person", "Incidents", "Roles", "Responder", "Paged", "Timeline entries", "Off-hours", "Night", "Off-hours share"}}
	for _, p := range data.People {
		var roles []string
		for _, r := range slices.Sorted(maps.Keys(p.Roles)) {
			roles = append(roles, fmt.Sprintf("%s %d", r, p.Roles[r]))
		}
		share := "–"
		if p.Entries > 0 {
			share = strconv.Itoa(int(math.Round(100*float64(p.OffHours)/float64(p.Entries)))) + "%"
		}
		t.Rows = append(t.Rows, []string{p.Person, strconv.Itoa(p.Incidents), strings.Join(roles, ", "), strconv.Itoa(p.Responder),
			strconv.Itoa(p.Paged), strconv.Itoa(p.Entries), strconv.Itoa(p.OffHours), strconv.Itoa(p.Night), share})
	}
	return t
}
