package library

import (
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
