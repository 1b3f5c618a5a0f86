package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"
)

// FuzzPages builds a library whose one incident takes every free-text
// field from the fuzzer — title, summary, impact, tag, service, person,
// link, note, postmortem — and parses every page the build writes as a
// browser would. A page may load only the site's own module scripts and
// style sheet; no other script, frame, object or base element, no on*
// attribute and no javascript:, vbscript: or data: URL may appear,
// whatever the input. Records validate rejects are left out by the gate,
// so the fuzzer also exercises that every page still renders without them.
func FuzzPages(f *testing.F) {
	for _, s := range [][7]string{
		{"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "x' onmouseover='alert(1)", "https://ok.example/</a><script>", "<svg onload=alert(1)>", "[x](javascript:alert(1))"},
		{"{{.Site.Name}}", "{{template \"main\" .}}", "https://example.com/\" onclick=\"alert(1)", "</title><script>alert(1)</script>", "data:text/html,<script>alert(1)</script>", "<iframe src=//evil>", "<base href=//evil/>"},
		benignPage,
		{"a", "b", "https://x.example", "bob", "\u202eevil", "note\u2028two", "> > x"},
		{"", "", "", "", "", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6])
	}
	f.Fuzz(func(t *testing.T, title, text, url, person, tag, note, body string) {
		const id = "2026-03-01-fuzzed"
		rec, err := yaml.Marshal(map[string]any{
			"id": id, "title": title, "severity": 2, "status": "open", "visibility": "public",
			"summary": text, "impact": text, "tags": []string{tag}, "services": []string{tag},
			"roles":      map[string]string{"commander": person},
			"milestones": map[string]string{"declared": "2026-03-01T10:00:00Z"},
			"links":      []map[string]string{{"kind": "chat", "url": url, "title": title}},
		})
		if err != nil {
			return
		}
		tl, err := yaml.Marshal([]map[string]any{
			{"id": "01aaaaaaaaaaaaaa", "at": "2026-03-01T10:05:00Z", "by": person, "type": "note", "text": note, "public": true},
			{"id": "01aaaaaaaaaaaaab", "at": "2026-03-01T10:06:00Z", "by": person, "type": "status", "status": "mitigated", "text": text, "public": true},
		})
		if err != nil {
			return
		}
		pm := "---\nincident: " + id + "\nstatus: draft\n---\n" + body
		files := merge(incidentFiles(id, string(rec), string(tl)), map[string]string{
			"sev.yaml":                  testSettings,
			"postmortems/" + id + ".md": pm,
		})
		out, sum := build(t, repo(t, files), Options{BaseURL: "https://example.github.io/incidents/"})
		err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(out, p)
			checkPage(t, filepath.ToSlash(rel), string(gunzipped(t, data)))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if [7]string{title, text, url, person, tag, note, body} == benignPage { // so the test can fail
			if _, err := os.Stat(filepath.Join(out, "incidents", id, "index.html")); err != nil {
				t.Fatalf("the valid incident was not built: %v (%v)", err, sum.Problems)
			}
		}
	})
}

// benignPage is a seed validate accepts: its incident must be built.
var benignPage = [7]string{"Checkout errors", "Payments", "https://status.example/inc", "alice", "payments", "Rolled back", "# Review\n\nFine.\n"}

// pageForbidden are elements no page of the library may contain.
var pageForbidden = map[string]bool{"iframe": true, "object": true, "embed": true, "frame": true,
	"frameset": true, "applet": true, "base": true, "foreignobject": true, "portal": true}

// checkPage fails on anything in a generated page that could run or
// redirect: scripts other than the site's own modules, frames and objects,
// event handler attributes and script URLs.
func checkPage(t *testing.T, name, s string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(s))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if inScript && strings.TrimSpace(string(z.Text())) != "" {
				t.Fatalf("%s: inline script %q", name, z.Text())
			}
			continue
		case html.EndTagToken:
			if tok := z.Token(); tok.Data == "script" {
				inScript = false
			}
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		tok := z.Token()
		tag := strings.ToLower(tok.Data)
		if pageForbidden[tag] {
			t.Fatalf("%s: element <%s>", name, tag)
		}
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			attrs[key] = a.Val
			if strings.HasPrefix(key, "on") {
				t.Fatalf("%s: event handler %s=%q", name, a.Key, a.Val)
			}
			v := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, a.Val))
			switch key {
			case "href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset":
				if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:") {
					t.Fatalf("%s: %s=%q", name, a.Key, a.Val)
				}
			}
		}
		switch tag {
		case "script":
			src := attrs["src"]
			if attrs["type"] != "module" || !(strings.HasSuffix(src, "assets/site.js") || strings.HasSuffix(src, "assets/search.js")) || strings.Contains(src, ":") {
				t.Fatalf("%s: script %v", name, tok.Attr)
			}
			inScript = tt == html.StartTagToken
		case "meta":
			if eq := strings.ToLower(attrs["http-equiv"]); eq != "" && eq != "content-security-policy" {
				t.Fatalf("%s: meta http-equiv=%q", name, attrs["http-equiv"])
			}
		case "link":
			if rel := attrs["rel"]; rel != "stylesheet" && rel != "icon" && rel != "alternate" {
				t.Fatalf("%s: link rel=%q", name, rel)
			}
			if strings.Contains(attrs["href"], "://") && attrs["rel"] != "alternate" {
				t.Fatalf("%s: link to %q", name, attrs["href"])
			}
		}
	}
}
