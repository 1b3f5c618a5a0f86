package ghapi_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ghfake"
)

// changes lists the requests since from that are not reads.
func (f *fixture) changes(from int) []string {
	var out []string
	for _, r := range f.gh.Requests()[from:] {
		if r.Method != http.MethodGet {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func TestUpsertCommentIsIdempotent(t *testing.T) {
	f := setup(t, ghfake.Options{})
	ctx := context.Background()
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.AddComment(n, "ana", "/sev note rolled back")

	created, err := f.c.UpsertComment(ctx, n, "status", "Status: **investigating**")
	if err != nil || !created {
		t.Fatalf("first upsert: created %v, %v", created, err)
	}
	want := ghapi.Marker("status") + "\nStatus: **investigating**"
	got := f.gh.Comments(n)
	if len(got) != 2 || got[1].Body != want {
		t.Fatalf("after the first upsert: %+v", got)
	}
	id := got[1].ID

	mark := len(f.gh.Requests())
	created, err = f.c.UpsertComment(ctx, n, "status", "Status: **investigating**")
	if err != nil || created {
		t.Fatalf("second upsert: created %v, %v", created, err)
	}
	if ch := f.changes(mark); len(ch) != 0 {
		t.Errorf("the same body again sent changes: %v", ch)
	}

	mark = len(f.gh.Requests())
	created, err = f.c.UpsertComment(ctx, n, "status", "Status: **mitigated**")
	if err != nil || created {
		t.Fatalf("third upsert: created %v, %v", created, err)
	}
	got = f.gh.Comments(n)
	if len(got) != 2 || got[1].ID != id || got[1].Body != ghapi.Marker("status")+"\nStatus: **mitigated**" || got[1].Edits != 1 {
		t.Errorf("a changed body should edit comment %d in place: %+v", id, got)
	}
	if ch := f.changes(mark); !slices.Equal(ch, []string{"PATCH /repos/sev-dev/incidents/issues/comments/" + strconv.FormatInt(id, 10)}) {
		t.Errorf("changes: %v", ch)
	}
}

// With an installation token GitHub will not say who the token is, so
// only bots' comments count: a person who pastes the marker does not get
// their comment edited.
func TestUpsertCommentIgnoresPeoplesComments(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	human := f.gh.AddComment(n, "mallory", ghapi.Marker("status")+"\nStatus: resolved")
	created, err := f.c.UpsertComment(context.Background(), n, "status", "Status: investigating")
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	if c, _ := f.gh.Comment(human); c.Edits != 0 {
		t.Errorf("mallory's comment was edited: %+v", c)
	}
	if len(f.gh.Comments(n)) != 2 {
		t.Errorf("comments: %+v", f.gh.Comments(n))
	}
}

// When GitHub says who the token is, only that login's comments count,
// and it is asked once.
func TestUpsertCommentByLogin(t *testing.T) {
	f := setup(t, ghfake.Options{Login: "sev-bot"})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	other := f.gh.AddComment(n, "other-app[bot]", ghapi.Marker("status")+"\nold")
	for _, body := range []string{"one", "two"} {
		if _, err := f.c.UpsertComment(context.Background(), n, "status", body); err != nil {
			t.Fatal(err)
		}
	}
	got := f.gh.Comments(n)
	if len(got) != 2 || got[0].ID != other || got[0].Edits != 0 || got[1].Author != "sev-bot" || got[1].Body != ghapi.Marker("status")+"\ntwo" {
		t.Errorf("comments: %+v", got)
	}
	asked := 0
	for _, r := range f.gh.Requests() {
		if r.Path == "/user" {
			asked++
		}
	}
	if asked != 1 {
		t.Errorf("GET /user was sent %d times, want once", asked)
	}
}

// Options.Login saves the question, and markers are told apart.
func TestUpsertCommentKnownLoginAndMarkers(t *testing.T) {
	f := setup(t, ghfake.Options{Login: "sev-bot"}, func(o *ghapi.Options) { o.Login = "sev-bot" })
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	for _, m := range []string{"status", "status-2", "status"} {
		if _, err := f.c.UpsertComment(context.Background(), n, m, "body of "+m); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.gh.Comments(n); len(got) != 2 {
		t.Errorf("want one comment per marker: %+v", got)
	}
	for _, r := range f.gh.Requests() {
		if r.Path == "/user" {
			t.Error("GET /user was sent although Options.Login is set")
		}
	}
}
