package present

import (
	"testing"

	"github.com/sev-dev/sev/internal/postmortem"
)

func TestFollowUpFilter(t *testing.T) {
	open := FollowUpRow{FollowUp: postmortem.FollowUp{ID: "a", Owner: "dave"}}
	late := FollowUpRow{FollowUp: postmortem.FollowUp{ID: "b", Status: "open", Owner: "erin"}, Overdue: true}
	done := FollowUpRow{FollowUp: postmortem.FollowUp{ID: "c", Status: "done", Owner: "dave"}}
	for _, c := range []struct {
		f    FollowUpFilter
		want string
	}{
		{FollowUpFilter{}, "abc"},
		{FollowUpFilter{Open: true}, "ab"},
		{FollowUpFilter{Overdue: true}, "b"},
		{FollowUpFilter{Owner: "dave"}, "ac"},
		{FollowUpFilter{Open: true, Owner: "dave"}, "a"},
		{FollowUpFilter{Overdue: true, Owner: "dave"}, ""},
	} {
		got := ""
		for _, r := range []FollowUpRow{open, late, done} {
			if c.f.keep(r) {
				got += r.ID
			}
		}
		if got != c.want {
			t.Errorf("%+v keeps %q; want %q", c.f, got, c.want)
		}
	}
}
