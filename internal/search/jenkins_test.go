package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/timeline"
)

// The Jenkins project's public status page (297 real notices, see
// /work/shared/datasets/README.md) converted into incidents, indexed and
// searched with queries whose answer was read from the data.

// jenkinsDir finds the dataset by walking up from the package.
func jenkinsDir(t *testing.T) string {
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared", "datasets", "jenkins-status", "content", "issues")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("the jenkins-status dataset (../shared/datasets) is not here")
		}
		dir = parent
	}
}

type notice struct {
	Title        string   `yaml:"title"`
	Date         string   `yaml:"date"`
	ResolvedWhen string   `yaml:"resolvedWhen"`
	Resolved     bool     `yaml:"resolved"`
	Severity     string   `yaml:"severity"`
	Affected     []string `yaml:"affected"`
	Informal     bool     `yaml:"informational"`
}

var singleHour = regexp.MustCompile(`T(\d):`)

// noticeTime reads the dates the status page uses: RFC 3339, without a
// zone, with a space, with a one-digit hour.
func noticeTime(s string) (time.Time, bool) {
	s = singleHour.ReplaceAllString(strings.TrimSpace(s), "T0$1:")
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

var updateLabel = regexp.MustCompile(`(?m)^\s*\[[^\]\n]{1,40}\]\s*$`)

// convert turns one notice into incident files: the first paragraph is
// the summary, each "[Update]"-style block a timeline note.
func convert(name string, data []byte) (id string, rec, tl []byte, err error) {
	fm, body, ok := searchtext.FrontMatter(data)
	if !ok {
		return "", nil, nil, fmt.Errorf("%s: no front matter", name)
	}
	var n notice
	if err := yaml.Unmarshal(fm, &n); err != nil {
		return "", nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	id = strings.ToLower(strings.TrimSuffix(name, ".md"))
	date, ok := noticeTime(n.Date)
	if !ok {
		date, _ = time.Parse("2006-01-02", id[:10])
	}
	if !incident.ValidID(id) {
		id = incident.NewID(date, n.Title)
	}
	inc := &incident.Incident{ID: id, Title: n.Title, Severity: map[string]int{"down": 1, "disrupted": 2}[n.Severity],
		Status: "open", Services: n.Affected, Milestones: incident.Times{Declared: date}}
	if inc.Severity == 0 {
		inc.Severity = 3
	}
	if n.Informal {
		inc.Kind = "maintenance"
	}
	if inc.Title == "" {
		inc.Title = id
	}
	if t, ok := noticeTime(n.ResolvedWhen); ok && n.Resolved && !t.Before(date) {
		inc.Status, inc.Milestones.Resolved = "resolved", t
	}
	var entries []timeline.Entry
	for i, block := range updateLabel.Split(string(body), -1) {
		block = strings.TrimSpace(block)
		if block == "" {
			continue
		}
		if inc.Summary == "" {
			inc.Summary, _, _ = strings.Cut(block, "\n\n")
		}
		entries = append(entries, timeline.Entry{ID: fmt.Sprintf("e%03d-%s", i, id[:10]), At: date, By: "jenkins-infra", Type: "note", Text: block})
	}
	if rec, err = incident.Encode("schema/incident.schema.json", inc); err != nil {
		return "", nil, nil, err
	}
	tl, err = timeline.Encode("schema/timeline.schema.json", entries)
	return id, rec, tl, err
}

func TestJenkinsStatus(t *testing.T) {
	src := jenkinsDir(t)
	root := t.TempDir()
	names, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string]string{} // notice file → incident ID
	notices := 0
	for _, e := range names {
		if !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		notices++
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		id, rec, tl, err := convert(e.Name(), data)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := byFile[e.Name()]; dup {
			t.Fatalf("%s twice", e.Name())
		}
		byFile[e.Name()] = id
		dir := filepath.Join(root, "incidents", id[:4], id)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "incident.yaml"), rec, 0o644)
		os.WriteFile(filepath.Join(dir, "timeline.yaml"), tl, 0o644)
	}
	var warnings []string
	x := openTest(t, root, &warnings)
	st, err := x.Sync(false, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != notices || notices < 290 || len(warnings) > 0 {
		t.Fatalf("indexed %d of %d notices; warnings: %q", st.Docs, notices, warnings)
	}
	for _, c := range []struct{ query, want string }{
		{`"DST Root CA X3"`, "2021-10-01-ldap-outage.md"},                         // a phrase
		{"certificates rotated ldap", "2021-10-01-ldap-outage.md"},                // stems: "certificate have been rotated"
		{"146.75.34.133", "2022-05-28-debian-installs-broken.md"},                 // an IP address in a log
		{"jenkins_2.349_all.deb", "2022-05-28-debian-installs-broken.md"},         // a file name
		{"gpg key rollback", "2022-05-28-debian-installs-broken.md"},              // words of a note
		{"service:pkg.jenkins.io debian", "2022-05-28-debian-installs-broken.md"}, // a filter and a word
		{"aci agents", "2021-05-29-no-aci-agents-for-ci-jenkins-io.md"},           // title words
		{"bintray sev:3", "2023-12-15-artifactory-changes.md"},                    // a severity filter
		{"ldap sev:1 before:2022-01-01", "2021-10-01-ldap-outage.md"},             // a date filter
	} {
		q, err := searchtext.ParseQuery(c.query, searchtext.Vocabulary{})
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		r, err := x.Search(context.Background(), Request{Query: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ids(r), byFile[c.want]) {
			t.Errorf("%s: %s not in the top 5: %s", c.query, byFile[c.want], ids(r))
		}
	}
}
