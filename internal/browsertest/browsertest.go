// Package browsertest drives the real Chromium (Debian's chromium, via
// chromedp) for the tests of the site and its search: one tab per test,
// with what the page logged to its console and the dialogs it opened.
// Tests skip when Chromium is not installed.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Browser is one Chromium tab.
type Browser struct {
	Ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	dialogs []string
}

// Chromium is the browser's path; the test is skipped without one.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("no Chromium (apt-get install -y chromium)")
	return ""
}

// New starts a headless Chromium for the test, stopped when it ends.
func New(t testing.TB) *Browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(Chromium(t)), chromedp.WindowSize(1280, 900))
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
	b := &Browser{Ctx: ctx}
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

// Open loads a URL.
func (b *Browser) Open(t testing.TB, url string) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// Text is the page's visible text.
func (b *Browser) Text(t testing.TB) string {
	t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// WaitFor waits up to 15 s until a JavaScript condition holds on the page.
func (b *Browser) WaitFor(t testing.TB, cond string) {
	t.Helper()
	ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`new Promise(resolve => {
		const end = Date.now() + 15000;
		const poll = () => { if (`+cond+`) resolve(true); else if (Date.now() > end) resolve(false); else setTimeout(poll, 25); };
		poll();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		state, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
		t.Fatalf("waited in vain for %s; the page:\n%s", cond, state)
	}
}

// Console is every console message so far.
func (b *Browser) Console() []chromedp.ConsoleMessage {
	time.Sleep(150 * time.Millisecond) // let the last messages arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), b.console...)
}

// Errors are the console errors and uncaught exceptions so far (a
// Content-Security-Policy violation is a console error).
func (b *Browser) Errors() []string {
	var out []string
	for _, m := range b.Console() {
		if m.Type == "error" || m.Type == chromedp.ConsoleException {
			out = append(out, m.Text)
		}
	}
	return out
}

// Dialogs are the messages of the alerts, confirms and prompts opened.
func (b *Browser) Dialogs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.dialogs...)
}

// Screenshot saves the whole page as NAME.png in the folder named by
// SEV_SCREENSHOTS, when it is set: to look at what the tests see.
func (b *Browser) Screenshot(t testing.TB, name string) {
	t.Helper()
	dir := os.Getenv("SEV_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
