package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/timeline"
)

// The default theme is embedded; a repository's site/ folder overrides any
// file of it by name: site/templates/incident.html replaces the incident
// page's template, site/assets/style.css the stylesheet, and new assets
// are copied as they are.
//
//go:embed theme/templates/*.html theme/assets/*
var defaultTheme embed.FS

// Override is the folder of a repository that overrides the theme.
const Override = "site"

type theme struct {
	rows   *rowCache
	base   *template.Template // layout and partials
	pages  map[string]*template.Template
	assets map[string][]byte
}

// loadTheme reads the embedded theme with repo's site/ folder laid over it.
func loadTheme(repo fs.FS, s *config.Settings) (*theme, error) {
	rows := &rowCache{rows: map[rowKey]template.HTML{}}
	files := map[string][]byte{}
	origin := map[string]string{}
	read := func(fsys fs.FS, root, label string) error {
		return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root && label != "theme" {
					return fs.SkipDir // no override folder
				}
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			rel := strings.TrimPrefix(p, root+"/")
			files[rel] = b
			origin[rel] = path.Join(label, rel)
			return nil
		})
	}
	if err := read(defaultTheme, "theme", "theme"); err != nil {
		return nil, err
	}
	if repo != nil {
		if err := read(repo, Override, Override); err != nil {
			return nil, err
		}
	}
	t := &theme{pages: map[string]*template.Template{}, assets: map[string][]byte{}}
	base := template.New("").Funcs(funcs(s, rows))
	var pageNames []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		switch {
		case strings.HasPrefix(name, "assets/"):
			t.assets[strings.TrimPrefix(name, "assets/")] = files[name]
		case strings.HasPrefix(name, "templates/_") && strings.HasSuffix(name, ".html"):
			if _, err := base.New(origin[name]).Parse(string(files[name])); err != nil {
				return nil, fmt.Errorf("%s: %w", origin[name], err)
			}
		case strings.HasPrefix(name, "templates/") && strings.HasSuffix(name, ".html"):
			pageNames = append(pageNames, name)
		}
	}
	t.base = base
	rows.tmpl = base
	t.rows = rows
	for _, name := range pageNames {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.New(origin[name]).Parse(string(files[name])); err != nil {
			return nil, fmt.Errorf("%s: %w", origin[name], err)
		}
		t.pages[strings.TrimSuffix(path.Base(name), ".html")] = c
	}
	for _, need := range []string{"now", "incident", "attachment", "list", "people", "person", "oncall", "reports", "status", "search", "notfound"} {
		if t.pages[need] == nil {
			return nil, fmt.Errorf("theme: templates/%s.html is missing", need)
		}
	}
	return t, nil
}

// render executes a page template's "layout".
func (t *theme) render(name string, p *Page) ([]byte, error) {
	tmpl := t.pages[name]
	if tmpl == nil {
		return nil, fmt.Errorf("theme: no template %s", name)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Path, err)
	}
	return buf.Bytes(), nil
}

// rowCache holds each incident's listing row, rendered once per page
// depth: an incident appears in a dozen listings (its year, severity,
// tags, org, services, people), and rendering the row each time was the
// largest part of a build.
type rowCache struct {
	mu   sync.Mutex
	tmpl *template.Template
	rows map[rowKey]template.HTML
}

type rowKey struct{ root, id string }

func (c *rowCache) row(root string, inc *library.Incident) (template.HTML, error) {
	k := rowKey{root, inc.ID()}
	c.mu.Lock()
	h, ok := c.rows[k]
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	var b bytes.Buffer
	if err := c.tmpl.ExecuteTemplate(&b, "row", map[string]any{"Root": root, "Inc": inc}); err != nil {
		return "", err
	}
	h = template.HTML(b.String())
	c.mu.Lock()
	c.rows[k] = h
	c.mu.Unlock()
	return h, nil
}

// reset forgets the rows of an earlier build.
func (c *rowCache) reset() {
	c.mu.Lock()
	c.rows = map[rowKey]template.HTML{}
	c.mu.Unlock()
}

// forget drops an incident's rows after it changed.
func (c *rowCache) forget(id string) {
	c.mu.Lock()
	for k := range c.rows {
		if k.id == id {
			delete(c.rows, k)
		}
	}
	c.mu.Unlock()
}

// funcs are the helpers templates may call. Each returns text (escaped by
// html/template) or HTML it built from escaped parts only.
func funcs(s *config.Settings, rows *rowCache) template.FuncMap {
	loc := s.Location()
	return template.FuncMap{
		"row":     rows.row,
		"sevname": s.SeverityName,
		// when is a <time> in the organisation's zone with UTC on hover.
		"when": func(t time.Time) template.HTML {
			if t.IsZero() {
				return "—"
			}
			l := t.In(loc)
			return template.HTML(fmt.Sprintf(`<time datetime="%s" title="%s">%s</time>`,
				t.UTC().Format(time.RFC3339), t.UTC().Format("2006-01-02 15:04 UTC"),
				template.HTMLEscapeString(l.Format("2 Jan 2006 15:04 MST"))))
		},
		// clock is a time of day, the date on hover. Given the build's
		// now, it shows the date too when the time is on another day than
		// now in the organisation's zone (and the year when another year).
		"clock": func(t time.Time, now ...time.Time) template.HTML {
			return template.HTML(fmt.Sprintf(`<time datetime="%s" title="%s">%s</time>`,
				t.UTC().Format(time.RFC3339), template.HTMLEscapeString(clockTitle(t, loc)), template.HTMLEscapeString(clockText(t.In(loc), now))))
		},
		"date":     func(t time.Time) string { return dateText(t, loc) },
		"age":      ageText,
		"window":   func(w *incident.Window) string { return windowText(w, loc) },
		"describe": timeline.Describe,
		"join":     strings.Join,
		"slug":     slug,
		"plural":   plural,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key and value pairs")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict keys are strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

// clockTitle is the hover text of a clock time: the whole date in the
// organisation's zone, and the time in UTC.
func clockTitle(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST") + " · " + t.UTC().Format("15:04 UTC")
}

// dateText is a day in the organisation's zone, as listings show it.
func dateText(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2 Jan 2006")
}

// ageText is how long ago t was at now ("3h 10m"), "—" when unknown or
// after now.
func ageText(now, t time.Time) string {
	if t.IsZero() || now.Before(t) {
		return "—"
	}
	return incident.FormatDuration(now.Sub(t))
}

// windowText is a maintenance window in the organisation's zone: "14 Mar
// 2027 02:00 – 04:00 CET" within one day and zone, else both ends in
// full (a window across a change to or from daylight saving time names
// both zones).
func windowText(w *incident.Window, loc *time.Location) string {
	a, b := w.Start.In(loc), w.End.In(loc)
	if a.Format("2006-01-02 MST") == b.Format("2006-01-02 MST") {
		return a.Format("2 Jan 2006 15:04") + " – " + b.Format("15:04 MST")
	}
	return a.Format("2 Jan 2006 15:04 MST") + " – " + b.Format("2 Jan 2006 15:04 MST")
}

// clockText is a time of day in the organisation's zone, with the day
// when it is not the day of now (the first of now, when given), and the
// year when it is not now's year either.
func clockText(l time.Time, now []time.Time) string {
	if len(now) == 0 || now[0].IsZero() {
		return l.Format("15:04")
	}
	n := now[0].In(l.Location())
	switch {
	case l.Year() != n.Year():
		return l.Format("2 Jan 2006 15:04")
	case l.YearDay() != n.YearDay():
		return l.Format("2 Jan 15:04")
	}
	return l.Format("15:04")
}

// slug makes a name safe as one URL path segment: lower case letters,
// digits and dashes; anything else becomes a dash, and a name with
// nothing left gets a stable hash instead.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" || out != strings.ToLower(name) {
		// two names could map to one slug ("A B" and "a-b"): keep them apart
		out = strings.TrimSuffix(out+"-"+fmt.Sprintf("%08x", fnv32(name)), "-")
		out = strings.TrimPrefix(out, "-")
	}
	return out
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
