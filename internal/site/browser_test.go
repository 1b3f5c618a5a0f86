package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sev-dev/sev/internal/browsertest"
)

// The site in the real browser (internal/browsertest), served under its
// Content-Security-Policy as a header. Screenshots go to SEV_SCREENSHOTS
// when it names a folder, to look at.

// serveSite serves a built site as a static host would, with the CSP
// header (the pages carry it as a meta tag too).
func serveSite(t *testing.T, dir string) string {
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", CSP)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

func TestBrowserDemo(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	b := browsertest.New(t)
	out, _ := build(t, "../..", Options{})
	base := serveSite(t, out)

	// Now lists the demo's open incidents
	b.Open(t, base)
	now := b.Text(t)
	for _, want := range []string{"Checkout latency spikes in EU at evening peak", "Leipzig warehouse inventory feed delayed", "2 incidents open"} {
		if !strings.Contains(now, want) {
			t.Errorf("the Now page does not show %q:\n%s", want, now)
		}
	}
	b.Screenshot(t, "now")

	// a word from one timeline entry finds that incident
	b.Open(t, base+"search/?q=LogiWare")
	b.WaitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
	if first := b.Text(t); !strings.Contains(first, "Leipzig warehouse inventory feed delayed") {
		t.Errorf("searching a timeline word does not find its incident:\n%s", first)
	}
	b.Screenshot(t, "search")

	// a filter narrows the results
	b.Open(t, base+"search/?q=certificate")
	b.WaitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
	all, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll(".sev-result").length`))
	b.WaitFor(t, `document.querySelector("select[name=sev]").options.length > 1`)
	narrowed, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`new Promise(resolve => {
		const sel = document.querySelector("select[name=sev]");
		const sev2 = [...sel.options].find(o => o.textContent.startsWith("SEV2"));
		sel.value = sev2.value;
		sel.dispatchEvent(new Event("change"));
		setTimeout(() => resolve(document.querySelectorAll(".sev-result").length), 800);
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if narrowed == 0 || narrowed >= all {
		t.Errorf("the SEV2 filter left %d of %d results", narrowed, all)
	}
	badges, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".sev-result .sev-badge")].map(e => e.textContent)`))
	for _, s := range badges {
		if s != "SEV2" {
			t.Errorf("a %s result under the SEV2 filter", s)
		}
	}

	// the reports render, with no console errors anywhere so far
	b.Open(t, base+"reports/")
	charts, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`[...document.querySelectorAll(".chart svg")].filter(s => s.getBoundingClientRect().height > 100).length`))
	if charts < 8 {
		t.Errorf("%d charts rendered with a height", charts)
	}
	b.Screenshot(t, "reports")
	id := "2025-05-14-expired-certificate-on-static-northwind-example"
	b.Open(t, base+"incidents/"+id+"/")
	b.Screenshot(t, "incident")
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserPayloadsDoNotRun opens every page of a site built from the
// XSS corpus: no dialog opens, and nothing is blocked by the CSP either
// (which would mean markup from the payloads reached the page).
func TestBrowserPayloadsDoNotRun(t *testing.T) {
	b := browsertest.New(t)
	out, _ := build(t, repo(t, payloadRepo()), Options{})
	base := serveSite(t, out)
	pages := 0
	for p := range tree(t, out) {
		if !strings.HasSuffix(p, "index.html") {
			continue
		}
		b.Open(t, base+strings.TrimSuffix(p, "index.html"))
		pages++
	}
	b.Open(t, base+"search/?q=alert")
	b.WaitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
	b.Screenshot(t, "payload-search")
	if pages < 10 {
		t.Fatalf("only %d pages opened", pages)
	}
	if dialogs := b.Dialogs(); len(dialogs) > 0 {
		t.Errorf("a payload ran: %d dialog(s) %q", len(dialogs), dialogs)
	}
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// hostileAttachments are attachments that would run script if a browser
// rendered them as they are.
var hostileAttachments = map[string]string{
	"evil.html":   `<!DOCTYPE html><html><body><script>alert("html")</script></body></html>`,
	"evil.htm":    `<script>alert("htm")</script>`,
	"evil.svg":    `<svg xmlns="http://www.w3.org/2000/svg" onload="alert('svg')"><script>alert("svg2")</script></svg>`,
	"evil.xhtml":  `<html xmlns="http://www.w3.org/1999/xhtml"><script>alert("xhtml")</script></html>`,
	"evil.xml":    `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert("xml")</script></html>`,
	"evil.js":     `alert("js")`,
	"loader.html": `<script src="evil.js"></script><script src="evil.js.zip"></script>`,
	"noext":       `<html><script>alert("noext")</script></html>`,
	"fake.png":    `<html><script>alert("png")</script></html>`,
	"fake.pdf":    `<html><script>alert("pdf")</script></html>`,
	"notes.txt":   `<html><script>alert("txt")</script></html>`,
	"evil.mjs":    `alert("mjs")`,
}

func attachmentRepo() map[string]string {
	files := merge(map[string]string{"sev.yaml": testSettings}, incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline))
	for name, body := range hostileAttachments {
		files["incidents/2026/2026-03-01-checkout-errors/attachments/"+name] = body
	}
	return files
}

// TestBrowserAttachmentsDoNotRun opens every published attachment, and
// every name an attacker might guess, in Chromium, from a static host
// that guesses a type from the content when it does not know the
// extension (Go's http.FileServer): no script runs.
func TestBrowserAttachmentsDoNotRun(t *testing.T) {
	b := browsertest.New(t)
	out, _ := build(t, repo(t, attachmentRepo()), Options{})
	srv := httptest.NewServer(guessingHost(out))
	t.Cleanup(srv.Close)
	dir := "incidents/2026-03-01-checkout-errors/"
	opened := 0
	for p := range tree(t, out) {
		if strings.Contains(p, "/attachments/") {
			openAnyway(b, srv.URL+"/"+p)
			opened++
		}
	}
	for name := range hostileAttachments {
		openAnyway(b, srv.URL+"/"+dir+"attachments/"+name)
	}
	if opened < len(hostileAttachments) {
		t.Errorf("%d attachment files published, want at least %d", opened, len(hostileAttachments))
	}
	b.Open(t, srv.URL+"/"+dir)
	if got := b.Text(t); !strings.Contains(got, "evil.html") || !strings.Contains(got, "fake.png") {
		t.Errorf("the incident page does not list the attachments:\n%s", got)
	}
	// a text attachment is shown as text on its own page
	b.Open(t, srv.URL+"/"+dir+"attachments/evil.html.html")
	if got := b.Text(t); !strings.Contains(got, `<script>alert("html")</script>`) {
		t.Errorf("the text page does not show the file as text:\n%s", got)
	}
	if dialogs := b.Dialogs(); len(dialogs) > 0 {
		t.Errorf("an attachment ran script: %q", dialogs)
	}
}

// guessingHost serves dir as a static host that knows only the commonest
// extensions (Go's built-in table, fixed here so that the machine's
// /etc/mime.types cannot help) and guesses every other type from the
// content, as http.FileServer does: the worst host the policy must hold on.
func guessingHost(dir string) http.Handler {
	known := map[string]string{".avif": "image/avif", ".css": "text/css; charset=utf-8", ".gif": "image/gif",
		".htm": "text/html; charset=utf-8", ".html": "text/html; charset=utf-8", ".jpeg": "image/jpeg", ".jpg": "image/jpeg",
		".js": "text/javascript; charset=utf-8", ".json": "application/json", ".mjs": "text/javascript; charset=utf-8",
		".pdf": "application/pdf", ".png": "image/png", ".svg": "image/svg+xml", ".wasm": "application/wasm",
		".webp": "image/webp", ".xml": "text/xml; charset=utf-8"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			p = filepath.Join(p, "index.html")
		}
		b, err := os.ReadFile(p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		typ, ok := known[strings.ToLower(filepath.Ext(p))]
		if !ok {
			typ = http.DetectContentType(b)
		}
		w.Header().Set("Content-Type", typ)
		w.Write(b)
	})
}

// openAnyway navigates to url; a download aborts the navigation, which is
// what should happen to most of them.
func openAnyway(b *browsertest.Browser, url string) {
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	chromedp.Run(ctx, chromedp.Navigate(url))
	time.Sleep(100 * time.Millisecond) // an onload handler runs after the load event
}
