package site

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// componentSettings configure three components in two groups over
// services, two of which (db, internal-tool) customers never see.
const componentSettings = testSettings + `services:
  - {name: api}
  - {name: db}
  - {name: search}
  - {name: web}
  - {name: internal-tool}
status-page:
  components:
    - {name: API, group: Platform, description: The public REST API, services: [api, db]}
    - {name: Dashboard, group: Apps, services: [web]}
    - {name: Search, services: [search]}
`

// notice writes an incident with one public note; extra is more of the
// record (milestones beyond declared, a window, ...).
func notice(id, title, vis string, sev int, status, services, extra string) map[string]string {
	declared := id[:10] + "T09:00:00Z"
	return incidentFiles(id, fmt.Sprintf("id: %s\ntitle: %s\nseverity: %d\nstatus: %s\nvisibility: %s\nservices: [%s]\n%smilestones:\n  declared: %s\n",
		id, title, sev, status, vis, services, extra, declared),
		"- id: 01aaaaaaaaaaaaaa\n  at: "+declared+"\n  by: alice\n  type: declared\n- id: 01bbbbbbbbbbbbbb\n  at: "+declared+"\n  by: alice\n  type: note\n  text: Update on "+title+"\n  public: true\n")
}

func readStatus(t *testing.T, out string) statusDoc {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "status", "status.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc statusDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func component(t *testing.T, doc statusDoc, name string) componentJSON {
	t.Helper()
	for _, c := range doc.Components {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("status.json has no component %q: %+v", name, doc.Components)
	return componentJSON{}
}

// The status page's components: each one's state from the open public
// incidents on its services, its history, its own feed; scheduled
// maintenance apart; internal and restricted incidents and the services
// behind the components nowhere.
func TestStatusComponents(t *testing.T) {
	dir := repo(t, merge(map[string]string{"sev.yaml": componentSettings},
		notice("2026-03-01-api-slow", "API slow", "public", 2, "resolved", "db", ""),
		notice("2026-03-02-api-down", "API down", "public", 1, "open", "api, internal-tool", ""),
		notice("2026-03-02-canary", "Canary zqxw", "internal", 1, "open", "search, web", ""),
		notice("2026-03-02-secret", "Restricted zqxr", "restricted", 1, "open", "search", ""),
		notice("2026-03-02-search-upgrade", "Search upgrade", "public", 3, "open", "search",
			"kind: maintenance\nwindow:\n  start: 2026-03-10T02:00:00Z\n  end: 2026-03-10T04:00:00Z\n"),
		// validate rejects these (a window that ends before it starts, one
		// without its end): never shown, whatever their visibility says
		notice("2026-03-02-bad-window", "Reversed zqxv", "public", 1, "open", "api",
			"kind: maintenance\nwindow:\n  start: 2026-03-10T02:00:00Z\n  end: 2026-03-10T01:00:00Z\n"),
		notice("2026-03-02-half-window", "Half zqxv", "public", 1, "open", "api",
			"kind: maintenance\nwindow:\n  start: 2026-03-10T02:00:00Z\n"),
	))
	// api-slow ran from 09:00 to its resolution at 11:00 (a two-hour partial outage)
	rec := filepath.Join(dir, "incidents", "2026", "2026-03-01-api-slow", "incident.yaml")
	data, _ := os.ReadFile(rec)
	if err := os.WriteFile(rec, []byte(strings.Replace(string(data), "milestones:\n", "milestones:\n  resolved: 2026-03-01T11:00:00Z\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	out, _ := build(t, dir, Options{Now: now})
	doc := readStatus(t, out)

	api := component(t, doc, "API")
	if api.Status != "major_outage" || api.Group != "Platform" || api.Feed != "components/api.xml" {
		t.Errorf("API: %+v", api)
	}
	var days []string
	for _, d := range api.History {
		days = append(days, d.Date+" "+d.Indicator+" "+strings.Join(d.Notices, ","))
	}
	want := []string{"2026-03-01 partial_outage 2026-03-01-api-slow", "2026-03-02 major_outage 2026-03-02-api-down"}
	if !slices.Equal(days, want) {
		t.Errorf("API's history:\n got %q\nwant %q", days, want)
	}
	// 2 h + 6 h down of the 89 days and 16 h since the first midnight
	first := time.Date(2026, 3, 2, 0, 0, 0, 0, time.FixedZone("CET", 3600)).AddDate(0, 0, -89)
	wantUp := 100 * (1 - 8.0/now.Sub(first).Hours())
	if api.Uptime > wantUp || api.Uptime < wantUp-0.01 {
		t.Errorf("API uptime %v, want %.4f rounded down", api.Uptime, wantUp)
	}
	if s := component(t, doc, "Search"); s.Status != "operational" || len(s.History) != 0 || s.Uptime != 100 {
		t.Errorf("Search counts an internal, restricted or scheduled incident: %+v", s)
	}
	if d := component(t, doc, "Dashboard"); d.Status != "operational" || d.Group != "Apps" {
		t.Errorf("Dashboard: %+v", d)
	}
	if len(doc.Active) != 1 || !slices.Equal(doc.Active[0].Components, []string{"API"}) || len(doc.Active[0].Services) != 0 {
		t.Errorf("active notices name services, or not their components: %+v", doc.Active)
	}
	if len(doc.Scheduled) != 1 || doc.Scheduled[0].State != "Scheduled" || doc.Scheduled[0].Window == nil ||
		doc.Scheduled[0].Window.Start != "2026-03-10T02:00:00Z" || !slices.Equal(doc.Scheduled[0].Components, []string{"Search"}) {
		t.Errorf("scheduled maintenance: %+v", doc.Scheduled)
	}

	html := read(t, out, "status/index.html")
	// the ungrouped component first, then the groups in sev.yaml's order
	order := []string{`id="component-search"`, `<h3 class="component-group">Platform</h3>`, `id="component-api"`, `<h3 class="component-group">Apps</h3>`, `id="component-dashboard"`}
	for i := 1; i < len(order); i++ {
		if a, b := strings.Index(html, order[i-1]), strings.Index(html, order[i]); a < 0 || b < a {
			t.Errorf("the page does not list %s before %s", order[i-1], order[i])
		}
	}
	if n := strings.Count(html, `<rect class="day day-`); n != 3*statusPastDays {
		t.Errorf("%d days in the strips, want %d", n, 3*statusPastDays)
	}
	for _, s := range []string{"<h2>Scheduled maintenance</h2>", "Planned from", "affects API", "The public REST API", `href="components/api.xml"`} {
		if !strings.Contains(html, s) {
			t.Errorf("the status page lacks %q", s)
		}
	}

	// each component's feed holds the notices that affect it
	for file, ids := range map[string][]string{
		"status/components/api.xml":       {":status:2026-03-02-api-down", ":status:2026-03-01-api-slow"},
		"status/components/search.xml":    {":status:2026-03-02-search-upgrade"},
		"status/components/dashboard.xml": nil,
	} {
		var f struct {
			XMLName xml.Name
			ID      string `xml:"id"`
			Entries []struct {
				ID string `xml:"id"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(read(t, out, file)), &f); err != nil || f.XMLName.Space != "http://www.w3.org/2005/Atom" {
			t.Fatalf("%s is not an Atom feed: %v", file, err)
		}
		var got []string
		for _, e := range f.Entries {
			// urn:sev:<organisation>:status:<id>
			if org, _, ok := strings.Cut(strings.TrimPrefix(e.ID, "urn:sev:"), ":"); ok && strings.HasPrefix(org, "test-org-") {
				got = append(got, strings.TrimPrefix(e.ID, "urn:sev:"+org))
			}
		}
		if !strings.HasPrefix(f.ID, "urn:sev:test-org-") || !strings.HasSuffix(f.ID, ":status:component:"+strings.TrimSuffix(filepath.Base(file), ".xml")) {
			t.Errorf("%s: feed id %s", file, f.ID)
		}
		if !slices.Equal(got, ids) {
			t.Errorf("%s: entries %q, want %q", file, got, ids)
		}
	}

	// nothing of the internal or restricted incidents, and no service
	// behind a component, in any file of status/
	filepath.WalkDir(filepath.Join(out, "status"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, secret := range []string{"zqxw", "zqxr", "zqxv", "internal-tool", "2026-03-02-canary", "2026-03-02-secret", `"db"`, "affects db", "api, internal"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s holds %q", p, secret)
			}
		}
		return nil
	})
}

// A maintenance with a window: scheduled before it (and not on fire on
// the Now page), in progress from its start (the component under
// maintenance), completed once resolved, its day blue in the history.
func TestMaintenanceWindow(t *testing.T) {
	window := "kind: maintenance\nwindow:\n  start: 2026-03-10T02:00:00Z\n  end: 2026-03-10T04:00:00Z\n"
	open := repo(t, merge(map[string]string{"sev.yaml": componentSettings},
		notice("2026-03-02-search-upgrade", "Search upgrade", "public", 3, "open", "search", window)))

	out, _ := build(t, open, Options{Now: time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)})
	doc := readStatus(t, out)
	if len(doc.Scheduled) != 1 || len(doc.Active) != 0 || doc.Status.Indicator != "operational" || component(t, doc, "Search").Status != "operational" {
		t.Errorf("before the window: %+v", doc)
	}
	now := read(t, out, "index.html")
	if !strings.Contains(now, "Planned maintenance") || !strings.Contains(now, "Nothing is on fire") {
		t.Errorf("the Now page shows a planned maintenance as on fire")
	}

	out, _ = build(t, open, Options{Now: time.Date(2026, 3, 10, 2, 30, 0, 0, time.UTC)})
	doc = readStatus(t, out)
	if len(doc.Scheduled) != 0 || len(doc.Active) != 1 || doc.Active[0].State != "In progress" || doc.Active[0].Began != "2026-03-10T02:00:00Z" ||
		doc.Status.Indicator != "under_maintenance" || component(t, doc, "Search").Status != "under_maintenance" {
		t.Errorf("in the window: %+v", doc)
	}
	if html := read(t, out, "status/index.html"); !strings.Contains(html, "<h1>Maintenance in progress</h1>") || !strings.Contains(html, "Under maintenance") {
		t.Errorf("the status page in the window:\n%s", html)
	}

	done := repo(t, merge(map[string]string{"sev.yaml": componentSettings},
		notice("2026-03-02-search-upgrade", "Search upgrade", "public", 3, "resolved", "search", window)))
	rec := filepath.Join(done, "incidents", "2026", "2026-03-02-search-upgrade", "incident.yaml")
	data, _ := os.ReadFile(rec)
	if err := os.WriteFile(rec, []byte(strings.Replace(string(data), "milestones:\n", "milestones:\n  resolved: 2026-03-10T03:40:00Z\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ = build(t, done, Options{Now: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)})
	doc = readStatus(t, out)
	s := component(t, doc, "Search")
	if len(doc.Recent) != 1 || doc.Recent[0].State != "Completed" || s.Status != "operational" || s.Uptime != 100 ||
		len(s.History) != 1 || s.History[0].Date != "2026-03-10" || s.History[0].Indicator != "under_maintenance" {
		t.Errorf("after the window: %+v / %+v", doc.Recent, s)
	}
}

func read(t *testing.T, out, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The demo's status page: its components in their groups, the open
// checkout incident, October's CDN errors in the history, the search
// upgrade scheduled for March 2027; and, built in June, the orders-db
// upgrade of 6 June as a completed maintenance, blue in the history.
func TestStatusDemo(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	out, _ := build(t, "../..", Options{Now: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)})
	doc := readStatus(t, out)
	var names []string
	for _, c := range doc.Components {
		names = append(names, c.Group+"/"+c.Name)
		if _, err := os.Stat(filepath.Join(out, "status", filepath.FromSlash(c.Feed))); err != nil {
			t.Errorf("%s: its feed %s: %v", c.Name, c.Feed, err)
		}
	}
	want := []string{"Shop/Website", "Shop/Checkout and payments", "Shop/Search", "Shop/Login and accounts", "Apps/Northwind app", "Notifications/Order and shipping emails"}
	if !slices.Equal(names, want) {
		t.Errorf("components %q, want %q", names, want)
	}
	if c := component(t, doc, "Checkout and payments"); c.Status != "partial_outage" || c.Uptime >= 100 {
		t.Errorf("checkout: %+v", c)
	}
	web := component(t, doc, "Website")
	if web.Status != "operational" || len(web.History) != 1 || web.History[0].Date != "2026-10-14" || web.History[0].Indicator != "degraded_performance" {
		t.Errorf("website: %+v", web)
	}
	if len(doc.Scheduled) != 1 || doc.Scheduled[0].ID != "2026-11-26-maintenance-product-search-upgrade-to-opensearch" ||
		doc.Scheduled[0].Window == nil || doc.Scheduled[0].Window.Start != "2027-03-14T01:00:00Z" || component(t, doc, "Search").Status != "operational" {
		t.Errorf("the scheduled search upgrade: %+v", doc.Scheduled)
	}
	html := read(t, out, "status/index.html")
	for _, s := range []string{"<h2>Scheduled maintenance</h2>", `<h3 class="component-group">Apps</h3>`, "affects Checkout and payments"} {
		if !strings.Contains(html, s) {
			t.Errorf("the demo's status page lacks %q", s)
		}
	}
	if strings.Contains(html, "orders-db") || strings.Contains(html, "payments-gateway") {
		t.Error("the demo's status page names a service behind a component")
	}

	out, _ = build(t, "../..", Options{Now: time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)})
	doc = readStatus(t, out)
	c := component(t, doc, "Checkout and payments")
	found := false
	for _, d := range c.History {
		found = found || d.Date == "2026-06-06" && d.Indicator == "under_maintenance"
	}
	completed := slices.ContainsFunc(doc.Recent, func(n noticeJSON) bool { return n.Impact == "Maintenance" && n.State == "Completed" })
	if !found || !completed {
		t.Errorf("June's orders-db upgrade: history %+v, recent %+v", c.History, doc.Recent)
	}
}

// Over random repositories: every component's state is the worst among
// the open, public, unscheduled incidents on its services; its history
// and feed hold only public incidents on its services; uptime stays in
// [0, 100]; nothing of an internal or restricted incident, and no
// service name, is anywhere in status/.
func TestStatusProperty(t *testing.T) {
	services := []string{"api", "db", "search", "web", "internal-tool"}
	comps := map[string][]string{"API": {"api", "db"}, "Dashboard": {"web"}, "Search": {"search"}}
	statuses := []string{"open", "mitigated", "resolved", "closed", "declined"}
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 7))
		files := map[string]string{"sev.yaml": componentSettings}
		type want struct {
			vis, status, kind string
			services          []string
			sev               int
			scheduled         bool
		}
		wants := map[string]want{}
		now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
		for i := range 25 {
			day := now.AddDate(0, 0, -r.IntN(120))
			id := fmt.Sprintf("%s-n%02d", day.Format("2006-01-02"), i)
			w := want{vis: []string{"public", "public", "internal", "restricted", "Public"}[r.IntN(5)],
				status: statuses[r.IntN(len(statuses))], sev: 1 + r.IntN(3), kind: "normal"}
			for _, s := range services {
				if r.IntN(3) == 0 {
					w.services = append(w.services, s)
				}
			}
			extra := ""
			if r.IntN(4) == 0 {
				w.kind = "maintenance"
				start := now.Add(time.Duration(r.IntN(240)-120) * time.Hour)
				extra = fmt.Sprintf("kind: maintenance\nwindow:\n  start: %s\n  end: %s\n", start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339))
				w.scheduled = start.After(now) && (w.status == "open" || w.status == "mitigated")
			}
			milestones := ""
			switch w.status {
			case "resolved", "closed":
				milestones = "  resolved: " + day.Add(3*time.Hour).Format(time.RFC3339) + "\n"
			case "mitigated":
				milestones = "  mitigated: " + day.Add(time.Hour).Format(time.RFC3339) + "\n"
			}
			wants[id] = w
			files = merge(files, incidentFiles(id, fmt.Sprintf("id: %s\ntitle: Title %s\nseverity: %d\nstatus: %s\nvisibility: %s\nservices: [%s]\n%smilestones:\n  declared: %s\n%s",
				id, id, w.sev, w.status, w.vis, strings.Join(w.services, ", "), extra, day.Format(time.RFC3339), milestones),
				"- id: 01aaaaaaaaaaaaaa\n  at: "+day.Format(time.RFC3339)+"\n  by: alice\n  type: declared\n"))
		}
		out, _ := build(t, repo(t, files), Options{Now: now})
		doc := readStatus(t, out)
		for name, svcs := range comps {
			worst := "operational"
			for _, w := range wants {
				if w.vis != "public" || w.scheduled || (w.status != "open" && w.status != "mitigated") || !slices.ContainsFunc(w.services, func(s string) bool { return slices.Contains(svcs, s) }) {
					continue
				}
				ind := map[int]string{1: "major_outage", 2: "partial_outage", 3: "degraded_performance"}[w.sev]
				if w.kind == "maintenance" {
					ind = "under_maintenance"
				}
				if rank[ind] > rank[worst] {
					worst = ind
				}
			}
			c := component(t, doc, name)
			if c.Status != worst || c.Uptime < 0 || c.Uptime > 100 || len(c.History) > statusPastDays {
				t.Errorf("seed %d: %s is %s (uptime %v), want %s", seed, name, c.Status, c.Uptime, worst)
			}
			for _, d := range c.History {
				for _, id := range d.Notices {
					w := wants[id]
					if w.vis != "public" || w.status == "declined" || !slices.ContainsFunc(w.services, func(s string) bool { return slices.Contains(svcs, s) }) {
						t.Errorf("seed %d: %s's history on %s has %s (%+v)", seed, name, d.Date, id, w)
					}
				}
			}
		}
		filepath.WalkDir(filepath.Join(out, "status"), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := os.ReadFile(p)
			for id, w := range wants {
				if w.vis != "public" && strings.Contains(string(b), id) {
					t.Errorf("seed %d: %s names the %s incident %s", seed, p, w.vis, id)
				}
			}
			for _, s := range []string{"internal-tool", `"db"`, `"api"`} {
				if strings.Contains(string(b), s) {
					t.Errorf("seed %d: %s names the service %s", seed, p, s)
				}
			}
			return nil
		})
	}
}

// Edge cases of the status page: components configured but none left
// still keep services private; a maintenance called off before its
// window keeps its own times; moving a window updates the notice; a
// window whose check is turned off is ignored.
func TestStatusEdges(t *testing.T) {
	// (a status-page block whose components were all refused reads the
	// same; internal/config's test checks that)
	refused := testSettings + "services:\n  - {name: api}\nstatus-page:\n  components: []\n"
	out, _ := build(t, repo(t, merge(map[string]string{"sev.yaml": refused},
		notice("2026-03-02-api-down", "API down", "public", 1, "open", "api", ""))), Options{})
	for _, f := range []string{"status/index.html", "status/status.json", "status/feed.xml"} {
		if b := read(t, out, f); strings.Contains(b, "affects api") || strings.Contains(b, `"api"`) {
			t.Errorf("%s names a service although sev.yaml configures components:\n%s", f, b)
		}
	}

	window := "kind: maintenance\nwindow:\n  start: 2026-03-10T02:00:00Z\n  end: 2026-03-10T04:00:00Z\n"
	dir := repo(t, merge(map[string]string{"sev.yaml": componentSettings},
		notice("2026-03-01-called-off", "Called off", "public", 3, "resolved", "search", window),
		notice("2026-03-01-moved", "Moved", "public", 3, "open", "web", window),
		notice("2026-03-01-reversed", "Reversed", "public", 3, "open", "api",
			"kind: maintenance\nwindow:\n  start: 2026-03-10T02:00:00Z\n  end: 2026-03-10T01:00:00Z\n")))
	edit := func(id, file, old, new string) {
		p := filepath.Join(dir, "incidents", "2026", id, file)
		b, _ := os.ReadFile(p)
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("2026-03-01-called-off", "incident.yaml", "milestones:\n", "milestones:\n  resolved: 2026-03-01T12:00:00Z\n")
	// the window was set again the next morning
	p := filepath.Join(dir, "incidents", "2026", "2026-03-01-moved", "timeline.yaml")
	b, _ := os.ReadFile(p)
	b = append(b, "- id: 01cccccccccccccc\n  at: 2026-03-02T08:00:00Z\n  by: alice\n  type: set\n  field: window\n  value: 2026-03-10T02:00:00Z/2026-03-10T04:00:00Z\n"...)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sev.yaml"), []byte(componentSettings+"checks:\n  window: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ = build(t, dir, Options{Now: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)})
	doc := readStatus(t, out)
	byID := map[string]noticeJSON{}
	for _, n := range slices.Concat(doc.Active, doc.Scheduled, doc.Recent) {
		byID[n.ID] = n
	}
	if n := byID["2026-03-01-called-off"]; n.State != "Completed" || n.Began != "2026-03-01T09:00:00Z" || n.Updated != "2026-03-01T12:00:00Z" {
		t.Errorf("called off: %+v", n)
	}
	if n := byID["2026-03-01-moved"]; n.State != "Scheduled" || n.Updated != "2026-03-02T08:00:00Z" {
		t.Errorf("moved: %+v", n)
	}
	if n := byID["2026-03-01-reversed"]; n.State != "In progress" || n.Window != nil {
		t.Errorf("a window that does not hold: %+v", n)
	}
}
