package library

import (
	"fmt"
	"reflect"
	"testing"
	"unsafe"

	"github.com/sev-dev/sev/internal/timeline"
)

// detached must copy every string field of an entry, so a summary keeps
// none of the timeline file's bytes; a field added to Entry and not to
// detached fails here.
func TestDetachedCopiesEveryString(t *testing.T) {
	var e timeline.Entry
	v := reflect.ValueOf(&e).Elem()
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).Kind() == reflect.String {
			v.Field(i).SetString("value of " + v.Type().Field(i).Name)
		}
	}
	d := detached(e)
	dv := reflect.ValueOf(d)
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).Kind() != reflect.String {
			continue
		}
		a, b := v.Field(i).String(), dv.Field(i).String()
		if a != b {
			t.Errorf("%s: %q, want %q", v.Type().Field(i).Name, b, a)
		}
		if unsafe.StringData(a) == unsafe.StringData(b) {
			t.Errorf("%s shares the original's bytes", v.Type().Field(i).Name)
		}
	}
}

// A page addressed to a person (an escalation level, a rule's notify
// step) counts in Notified; one from a rotation is in the record's paged
// list already, and other notifications are not pages.
func TestNotified(t *testing.T) {
	var i Incident
	i.summarise([]timeline.Entry{
		{Type: timeline.Notify, Field: "page", Person: "ana", Value: "phones"},
		{Type: timeline.Notify, Field: "page", Person: "ben", Rotation: "primary", Value: "phones"},
		{Type: timeline.Notify, Field: "acknowledge", Value: "pd"},
		{Type: timeline.Notify, Field: "page", Person: "ana", Value: "mail"},
	})
	if got := fmt.Sprint(i.Notified); got != "[ana ana]" {
		t.Errorf("Notified %s", got)
	}
}
