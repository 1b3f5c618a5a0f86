package sandbox

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/attachtext"
	"github.com/sev-dev/sev/internal/attachtext/pdftest"
)

// A shell stands in for sev: what the parent makes of each way a child
// can end.
func TestRunner(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	pdf := pdftest.PDF(pdftest.Options{}, "alpha")
	for _, c := range []struct {
		script, text, err string
	}{
		{`cat >/dev/null; printf 'the text'`, "the text", ""},
		{`cat >/dev/null; printf 'part'; echo 'stopped early' >&2; exit 3`, "part", "stopped early"},
		{`cat >/dev/null; echo 'the PDF is encrypted with a password' >&2; exit 4`, "", "the PDF is encrypted with a password"},
		{`cat >/dev/null; echo 'fatal error: out of memory' >&2; exit 2`, "", "the PDF reader failed on this file (fatal error: out of memory)"},
		{`kill -9 $$`, "", "the PDF reader failed on this file (signal: killed)"},
		{`sleep 60`, "", "reading the PDF took longer than 500ms; its text is not searchable"},
	} {
		r := Runner{Exe: "sh", Args: []string{"-c", c.script}}
		if strings.HasPrefix(c.script, "sleep") {
			r.Limit = 500 * time.Millisecond
		}
		text, err := r.Extract("report.pdf", pdf)
		if text != c.text || (err == nil) != (c.err == "") || err != nil && err.Error() != c.err {
			t.Errorf("%s: got %q, %v; want %q, %q", c.script, text, err, c.text, c.err)
		}
	}
	// text files never start a child
	r := Runner{Exe: "/nonexistent"}
	if text, err := r.Extract("app.log", []byte("ERROR timeout\n")); text != "ERROR timeout\n" || err != nil {
		t.Errorf("a log: %q, %v", text, err)
	}
	if _, err := r.Extract("report.pdf", pdf); err == nil || !strings.Contains(err.Error(), "could not be started") {
		t.Errorf("no binary: %v", err)
	}
}

func TestChild(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Child("report.pdf", bytes.NewReader(pdftest.PDF(pdftest.Options{Compress: true}, "Vendor report: platypus overflow")), &out, &errOut)
	if code != 0 || out.String() != "Vendor report: platypus overflow" || errOut.Len() != 0 {
		t.Errorf("exit %d, %q, %q", code, out.String(), errOut.String())
	}
	out.Reset()
	code = Child("locked.pdf", bytes.NewReader(pdftest.PDF(pdftest.Options{Encrypted: true}, "x")), &out, &errOut)
	if code != exitNone || out.Len() != 0 || !strings.Contains(errOut.String(), attachtext.ErrEncrypted.Error()) {
		t.Errorf("exit %d, %q, %q", code, out.String(), errOut.String())
	}
}
