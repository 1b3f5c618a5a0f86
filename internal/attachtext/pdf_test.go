package attachtext

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/attachtext/pdftest"
)

func TestPDFText(t *testing.T) {
	pages := []string{"Checkout errors in EU\nRolled back deploy 4411 on dev-cluster-105", "Second page: ERR_CONN_RESET from 10.20.3.14"}
	for _, o := range []pdftest.Options{{}, {Compress: true}, {Kerned: true}, {CMap: true}, {CMap: true, Compress: true, Kerned: true}} {
		t.Run(fmt.Sprintf("%+v", o), func(t *testing.T) {
			got, err := Extract("report.pdf", pdftest.PDF(o, pages...))
			if err != nil {
				t.Fatal(err)
			}
			want := "Checkout errors in EU\nRolled back deploy 4411 on dev-cluster-105\nSecond page: ERR_CONN_RESET from 10.20.3.14"
			if got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestPDFUnicode: a font's ToUnicode CMap gives any character, and
// ligatures come out as their letters.
func TestPDFUnicode(t *testing.T) {
	got, err := Extract("r.pdf", pdftest.PDF(pdftest.Options{CMap: true}, "Größe der ﬁnalen Übertragung 障害"))
	if err != nil || got != "Größe der finalen Übertragung 障害" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestPDFEncrypted(t *testing.T) {
	got, err := Extract("secret.pdf", pdftest.PDF(pdftest.Options{Encrypted: true}, "the password is hunter2"))
	if !errors.Is(err, ErrEncrypted) || got != "" {
		t.Errorf("got %q, %v; want ErrEncrypted", got, err)
	}
}

func TestPDFNotAPDF(t *testing.T) {
	_, err := Extract("notes.pdf", []byte("just some text\n"))
	if err == nil || !strings.Contains(err.Error(), "not a PDF file") {
		t.Errorf("err = %v", err)
	}
}

// TestPDFDamaged: damaged files give an error or the text that could be
// read, never a panic, and a page tree that loops ends.
func TestPDFDamaged(t *testing.T) {
	good := pdftest.PDF(pdftest.Options{Compress: true}, "alpha bravo", "charlie delta")
	content := pdftest.Stream("", []byte("BT /F1 12 Tf (echo foxtrot) Tj ET"))
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	page := "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>"
	for _, c := range []struct {
		name string
		data []byte
		text string // what must be read; "" for nothing
		err  string // in the error; "" for none
	}{
		{"truncated", good[:len(good)/2], "", "not a readable PDF"},
		{"no trailer", good[:len(good)-40], "", "not a readable PDF"},
		{"garbage in a stream", pdftest.Raw("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
			pdftest.Stream("", []byte("BT /F1 12 Tf (echo foxtrot) Tj ) >> [[[ << /X ET")), font, page), "echo foxtrot", "1 part(s) could not be read"},
		// the page tree lists itself: walked to a bounded depth
		{"loop", pdftest.Raw("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R 5 0 R 2 0 R] /Count 1 >>", content, font, page), "echo foxtrot", ""},
		// a kid that is not there, a content stream that is not a stream
		{"missing kid", pdftest.Raw("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [9 0 R 5 0 R] /Count 2 >>", content, font, page), "echo foxtrot", ""},
		{"bad contents", pdftest.Raw("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Contents [1 0 R 2 0 R] >>"), "", "could be read"},
		{"no pages", pdftest.Raw("<< /Type /Catalog >>"), "", ""},
		{"a font that is a number", pdftest.Raw("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>", content,
			"<< /Type /Page /Resources << /Font << /F1 42 >> >> /Contents 3 0 R >>"), "echo foxtrot", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Extract("x.pdf", c.data)
			if c.text != "" && !strings.Contains(got, c.text) {
				t.Errorf("text %q, want %q in it (err %v)", got, c.text, err)
			}
			if (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
				t.Errorf("err = %v, want %q", err, c.err)
			}
		})
	}
}

// TestPDFBounds: the text is capped, and a reading past its deadline
// stops with what it has and says so.
func TestPDFBounds(t *testing.T) {
	line := strings.Repeat("lorem ipsum dolor sit amet ", 10)
	var pages []string
	for range 40 {
		pages = append(pages, strings.TrimSpace(strings.Repeat(line+"\n", 120)))
	}
	data := pdftest.PDF(pdftest.Options{Compress: true}, pages...)
	got, err := Extract("big.pdf", data)
	if err != nil || len(got) > MaxText || len(got) < MaxText-1024 || !utf8.ValidString(got) {
		t.Errorf("got %d bytes, %v; want close to MaxText", len(got), err)
	}
	// a deadline already passed: stopped at the first check
	got, err = pdfText(data, -time.Second)
	if err == nil || !strings.Contains(err.Error(), "only the text read by then is searchable") || got == "" || len(got) > MaxText/4 {
		t.Errorf("got %d bytes, %v", len(got), err)
	}
}
