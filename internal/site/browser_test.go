package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The site in the real browser: Debian's Chromium, driven by chromedp,
// with the site served under its Content-Security-Policy as a header.
// Screenshots go to SEV_SCREENSHOTS when it names a folder, to look at.

func chromium(t *testing.T) string {
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("no Chromium (apt-get install -y chromium)")
	return ""
}

// browser is one Chromium tab with what the page said and did.
type browser struct {
	ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	dialogs []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.WindowSize(1280, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	timeout, cancelTimeout := context.WithTimeout(context.Background(), 2*time.Minute)
	alloc, cancelAlloc := chromedp.NewExecAllocator(timeout, opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelTimeout() })
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("chromium does not start: %v", err)
	}
	b := &browser{ctx: ctx}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			b.mu.Lock()
			b.dialogs = append(b.dialogs, d.Message)
			b.mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	return b
}

func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// text is the page's visible text.
func (b *browser) text(t *testing.T) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitFor waits until a JavaScript condition holds on the page.
func (b *browser) waitFor(t *testing.T, cond string) {
	t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`new Promise(resolve => {
		const end = Date.now() + 15000;
		const poll = () => { if (`+cond+`) resolve(true); else if (Date.now() > end) resolve(false); else setTimeout(poll, 25); };
		poll();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("waited in vain for %s; the page says:\n%s", cond, b.text(t))
	}
}

// errors are the console errors and uncaught exceptions so far (a CSP
// violation is a console error).
func (b *browser) errors() []string {
	time.Sleep(150 * time.Millisecond) // let the last messages arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if m.Type == "error" || m.Type == chromedp.ConsoleException {
			out = append(out, m.Text)
		}
	}
	return out
}

func (b *browser) screenshot(t *testing.T, name string) {
	dir := os.Getenv("SEV_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

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
	b := newBrowser(t)
	out, _ := build(t, "../..", Options{})
	base := serveSite(t, out)

	// Now lists the demo's open incidents
	b.open(t, base)
	now := b.text(t)
	for _, want := range []string{"Checkout latency spikes in EU at evening peak", "Leipzig warehouse inventory feed delayed", "2 incidents open"} {
		if !strings.Contains(now, want) {
			t.Errorf("the Now page does not show %q:\n%s", want, now)
		}
	}
	b.screenshot(t, "now")

	// a word from one timeline entry finds that incident
	b.open(t, base+"search/?q=LogiWare")
	b.waitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
	if first := b.text(t); !strings.Contains(first, "Leipzig warehouse inventory feed delayed") {
		t.Errorf("searching a timeline word does not find its incident:\n%s", first)
	}
	b.screenshot(t, "search")

	// a filter narrows the results
	b.open(t, base+"search/?q=certificate")
	b.waitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
	all, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".sev-result").length`))
	b.waitFor(t, `document.querySelector("select[name=sev]").options.length > 1`)
	narrowed, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`new Promise(resolve => {
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
	badges, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".sev-result .sev-badge")].map(e => e.textContent)`))
	for _, s := range badges {
		if s != "SEV2" {
			t.Errorf("a %s result under the SEV2 filter", s)
		}
	}

	// the reports render, with no console errors anywhere so far
	b.open(t, base+"reports/")
	charts, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`[...document.querySelectorAll(".chart svg")].filter(s => s.getBoundingClientRect().height > 100).length`))
	if charts < 8 {
		t.Errorf("%d charts rendered with a height", charts)
	}
	b.screenshot(t, "reports")
	id := "2025-05-14-expired-certificate-on-static-northwind-example"
	b.open(t, base+"incidents/"+id+"/")
	b.screenshot(t, "incident")
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserPayloadsDoNotRun opens every page of a site built from the
// XSS corpus: no dialog opens, and nothing is blocked by the CSP either
// (which would mean markup from the payloads reached the page).
func TestBrowserPayloadsDoNotRun(t *testing.T) {
	b := newBrowser(t)
	out, _ := build(t, repo(t, payloadRepo()), Options{})
	base := serveSite(t, out)
	pages := 0
	for p := range tree(t, out) {
		if !strings.HasSuffix(p, "index.html") {
			continue
		}
		b.open(t, base+strings.TrimSuffix(p, "index.html"))
		pages++
	}
	b.open(t, base+"search/?q=alert")
	b.waitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
	b.screenshot(t, "payload-search")
	if pages < 10 {
		t.Fatalf("only %d pages opened", pages)
	}
	b.mu.Lock()
	dialogs := b.dialogs
	b.mu.Unlock()
	if len(dialogs) > 0 {
		t.Errorf("a payload ran: %d dialog(s) %q", len(dialogs), dialogs)
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
