package site

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// marker is planted in every field of a restricted incident; no byte of
// it may reach a build made without --include-restricted.
const leak = "zqxjleak"

func restrictedFiles() map[string]string {
	id := "2026-02-20-" + leak + "-breach"
	rec := fmt.Sprintf(`id: %[2]s
title: %[1]s breach of the vault
severity: 1
status: open
visibility: restricted
kind: normal
summary: %[1]s summary
impact: %[1]s impact
orgs: [%[1]s-org]
services: [%[1]s-svc]
tags: [%[1]s-tag]
roles: {commander: %[1]s-cmd, comms: %[1]s-comms}
responders: [%[1]s-resp]
paged:
  - {rotation: %[1]s-rot, person: %[1]s-paged, at: 2026-02-20T10:00:00Z}
milestones:
  started: 2026-02-20T09:00:00Z
  declared: 2026-02-20T09:10:00Z
links:
  - {kind: chat, url: "https://chat.example/%[1]s", title: "%[1]s chat"}
`, leak, id)
	tl := fmt.Sprintf(`- id: 01zzzzzzzzzzzzza
  at: 2026-02-20T09:10:00Z
  by: %[1]s-cmd
  type: declared
  status: open
  severity: 1
- id: 01zzzzzzzzzzzzzb
  at: 2026-02-20T09:20:00Z
  by: %[1]s-author
  type: note
  text: %[1]s note, public by mistake
  public: true
- id: 01zzzzzzzzzzzzzc
  at: 2026-02-20T09:30:00Z
  by: %[1]s-author
  type: tag
  tag: %[1]s-tag2
- id: 01zzzzzzzzzzzzzd
  at: 2026-02-20T09:40:00Z
  by: %[1]s-author
  type: link
  field: chat
  url: https://x.example/%[1]s
  text: %[1]s link text
`, leak)
	pm := fmt.Sprintf(`---
incident: %[2]s
status: draft
authors: [%[1]s-pm-author]
reviewers: [%[1]s-reviewer]
follow-ups:
  - {id: FU-1, title: "%[1]s follow-up", owner: %[1]s-owner, due: "2026-04-01", type: prevent, status: open, link: "https://t.example/%[1]s"}
---
# %[1]s postmortem

%[1]s body text.
`, leak, id)
	files := incidentFiles(id, rec, tl)
	files["postmortems/"+id+".md"] = pm
	files["incidents/2026/"+id+"/attachments/"+leak+".txt"] = leak + " attachment"
	return files
}

func TestRestrictedNeverLeaks(t *testing.T) {
	rid := "2026-02-20-" + leak + "-breach"
	// an ordinary incident whose postmortem links to the restricted one
	pm := "---\nincident: 2026-03-01-checkout-errors\nstatus: published\n---\n# Review\n\nSee [[" + rid + "]] for the other one.\n"
	files := merge(map[string]string{"sev.yaml": testSettings, "postmortems/2026-03-01-checkout-errors.md": pm},
		incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline), restrictedFiles())
	dir := repo(t, files)
	out, sum := build(t, dir, Options{BaseURL: "https://example.github.io/incidents/"})
	if sum.Incidents != 1 {
		t.Errorf("built %d incidents, want 1", sum.Incidents)
	}
	n := 0
	for p, data := range tree(t, out) {
		n++
		data = gunzipped(t, data) // the search index's files are compressed
		if strings.Contains(strings.ToLower(p), leak) || bytes.Contains(bytes.ToLower(data), []byte(leak)) {
			t.Errorf("%s carries the restricted incident's marker", p)
		}
	}
	if n < 10 {
		t.Fatalf("only %d files built", n)
	}
	// the same repository with --include-restricted shows it: the
	// check above could fail
	out, _ = build(t, dir, Options{IncludeRestricted: true})
	found, inIndex, inNow := 0, false, false
	for p, data := range tree(t, out) {
		data = gunzipped(t, data)
		if bytes.Contains(data, []byte(leak)) {
			inIndex = inIndex || strings.HasPrefix(p, "search/")
			inNow = inNow || p == "now.json"
			found++
		}
	}
	if found < 3 || !inIndex || !inNow {
		t.Errorf("with --include-restricted the marker is in %d files only (search index: %v, now.json: %v)", found, inIndex, inNow)
	}
}

// gunzipped returns a gzip file's content, anything else as it is.
func gunzipped(t *testing.T, data []byte) []byte {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// payloads are hostile strings for every place user text reaches.
var payloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=alert(1)>`,
	`javascript:alert(1)`,
	`</title><script>alert(1)</script>`,
	`{{.Site}}`,
	`<a href="javascript:alert(1)">x</a>`,
}

// handlerAttr is an element (a real "<", not "&lt;") with an on...= attribute.
var handlerAttr = regexp.MustCompile(`<[a-z][^<>]*\son[a-z]+\s*=`)

// payloadRepo is a repository with one incident per payload, the payload
// in every field, a public note and a postmortem.
func payloadRepo() map[string]string {
	files := map[string]string{"sev.yaml": testSettings}
	for i, p := range payloads {
		id := fmt.Sprintf("2026-03-%02d-payload-%d", i+1, i)
		q := strings.ReplaceAll(p, `'`, `''`)
		rec := fmt.Sprintf("id: %s\ntitle: '%s'\nseverity: 2\nstatus: open\nvisibility: public\nsummary: '%s'\nimpact: '%s'\ntags: ['%s']\nservices: ['%s']\norgs: ['%s']\nroles: {commander: '%s'}\nresponders: ['%s']\nmilestones: {declared: 2026-03-%02dT10:00:00Z}\nlinks:\n  - {kind: chat, url: 'https://chat.example/x?q=%s', title: '%s'}\n",
			id, q, q, q, q, q, q, q, q, i+1, url.QueryEscape(p), q)
		tl := fmt.Sprintf("- id: 01payload%07d\n  at: 2026-03-%02dT10:00:00Z\n  by: '%s'\n  type: note\n  text: '%s'\n  public: true\n", i, i+1, q, q)
		for k, v := range incidentFiles(id, rec, tl) {
			files[k] = v
		}
		files["postmortems/"+id+".md"] = fmt.Sprintf("---\nincident: %s\nstatus: draft\nauthors: ['%s']\n---\n# Review %s\n\n%s\n\n[click](javascript:alert(1)) <b onmouseover=alert(1)>b</b>\n\n[[%s|%s]]\n", id, q, p, p, id, p)
	}
	return files
}

func TestHostileTextRendersAsText(t *testing.T) {
	files := payloadRepo()
	out, sum := build(t, repo(t, files), Options{})
	if sum.Incidents != len(payloads) {
		t.Fatalf("built %d incidents, want %d (the fixtures do not parse)", sum.Incidents, len(payloads))
	}
	ownScript := regexp.MustCompile(`<script type="module" src="[./]*assets/(site|search)\.js"></script>`)
	for p, data := range tree(t, out) {
		if !strings.HasSuffix(p, ".html") && !strings.HasSuffix(p, ".xml") {
			continue
		}
		s := strings.ToLower(ownScript.ReplaceAllString(string(data), ""))
		for _, bad := range []string{"<script", `href="javascript:`, "<svg onload", "<img src=x", "<b onmouseover"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		if m := handlerAttr.FindString(s); m != "" {
			t.Errorf("%s has an element with an event handler: %s", p, m)
		}
	}
}

// TestContentSecurityPolicyIsStrict states the policy's properties on its
// own, rather than taking the policy from the code under test: scripts
// only from the site itself, no inline script or style, no eval, no
// plugins, no <base> rewriting — in the constant and in the meta tag of
// every page a build writes.
func TestContentSecurityPolicyIsStrict(t *testing.T) {
	check := func(where, policy string) {
		t.Helper()
		dirs := map[string][]string{}
		for _, d := range strings.Split(policy, ";") {
			f := strings.Fields(d)
			if len(f) > 0 {
				dirs[strings.ToLower(f[0])] = f[1:]
			}
		}
		for name, sources := range dirs {
			for _, s := range sources {
				ls := strings.ToLower(s)
				if strings.HasPrefix(ls, "'unsafe-") || ls == "*" || ls == "http:" || ls == "https:" || ls == "blob:" ||
					(ls == "data:" && name != "img-src") || strings.HasPrefix(ls, "'nonce-") || strings.HasPrefix(ls, "'sha") {
					t.Errorf("%s: %s allows %s", where, name, s)
				}
			}
		}
		script, ok := dirs["script-src"]
		if !ok {
			script = dirs["default-src"]
		}
		if strings.Join(script, " ") != "'self'" {
			t.Errorf("%s: scripts come from %q, want only 'self'", where, script)
		}
		for _, d := range []string{"default-src", "object-src", "base-uri"} {
			if strings.Join(dirs[d], " ") != "'none'" {
				t.Errorf("%s: %s is %q, want 'none'", where, d, dirs[d])
			}
		}
	}
	check("site.CSP", CSP)
	out, _ := build(t, repo(t, payloadRepo()), Options{})
	meta := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	pages := 0
	for p, data := range tree(t, out) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		m := meta.FindSubmatch(data)
		if m == nil {
			t.Errorf("%s has no Content-Security-Policy", p)
			continue
		}
		check(p, strings.ReplaceAll(string(m[1]), "&#39;", "'"))
		pages++
	}
	if pages < 10 {
		t.Errorf("only %d pages checked", pages)
	}
}
