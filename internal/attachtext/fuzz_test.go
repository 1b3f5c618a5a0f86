package attachtext

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/attachtext/pdftest"
)

// FuzzPDF: whatever the bytes, reading a PDF returns (no panic escapes)
// with valid UTF-8 within the cap. The reader runs on the fuzzing
// goroutine, without pdfText's watchdog, so a file that makes it loop is
// found as a hang rather than abandoned. The seeds are the test
// generator's files and, in testdata/fuzz/FuzzPDF, damaged ones; run it
// with go test -fuzz FuzzPDF ./internal/attachtext.
func FuzzPDF(f *testing.F) {
	for _, o := range []pdftest.Options{{}, {Compress: true}, {Kerned: true}, {CMap: true, Compress: true}, {Encrypted: true}} {
		f.Add(pdftest.PDF(o, "Checkout errors in EU\nRolled back deploy 4411", "ERR_CONN_RESET"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x := &extractor{deadline: time.Now().Add(time.Second), limit: time.Second}
		x.read(data)
		text, err := x.result()
		if len(text) > MaxText || !utf8.ValidString(text) {
			t.Fatalf("%d bytes of text, valid UTF-8 %v (err %v)", len(text), utf8.ValidString(text), err)
		}
	})
}
