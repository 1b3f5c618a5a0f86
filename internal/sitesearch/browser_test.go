package sitesearch

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sev-dev/sev/internal/browsertest"
	"github.com/sev-dev/sev/internal/searchtext"
)

// searchPage is a search page that follows mount's HTML contract, with
// no inline script or style.
const searchPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title>
<script type="module" src="/assets/search.js"></script></head>
<body>
<form data-sev-search role="search">
<input type="search" name="q" aria-label="Search incidents">
<select name="sev"><option value="">Any severity</option></select>
<select name="tag"><option value="">Any tag</option></select>
</form>
<p data-sev-status aria-live="polite"></p>
<ol data-sev-results></ol>
<button type="button" data-sev-more hidden>More results</button>
</body></html>
`

// csp is the strictest policy the page should work under.
const csp = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'"

// TestBrowserSearchPage serves a site with the index, the client and a
// search page under a strict Content-Security-Policy and uses the page in
// Chromium: a search from the URL, typing, the keyboard, a filter, the
// hostile incident's title shown as text, and a match in an attachment
// shown with the file's name.
func TestBrowserSearchPage(t *testing.T) {
	b := browsertest.New(t)
	site := t.TempDir()
	x := indexOf(append(smallCorpus(), attachDoc("2026-02-01-gateway", "Gateway refused connections",
		searchtext.Attachment{Name: "gateway.log", Text: "14:31:02 ERROR kookaburra-gateway-8 refused the connection"})))
	if _, err := x.Write(fileWriter(t, filepath.Join(site, "search"))); err != nil {
		t.Fatal(err)
	}
	err := fs.WalkDir(Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(Assets, p)
		writeFile(t, filepath.Join(site, "assets", p), b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(site, "find.html"), []byte(searchPage))
	writeFile(t, filepath.Join(site, "favicon.ico"), nil) // the browser asks for it
	files := http.FileServer(http.Dir(site))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx := b.Ctx
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/find.html?q=flux")); err != nil {
		t.Fatal(err)
	}
	if got := status(t, b); got != "1 result" {
		t.Fatalf("status %q", got)
	}
	page := inspect(t, ctx)
	if page.Title != "<img src=x onerror=alert(1)> in a title" || page.Elements != 0 || page.Mark != "flux" {
		t.Errorf("the hostile incident: %+v", page)
	}
	if page.SevOptions != 5 || page.TagOptions != 6 {
		t.Errorf("the selects have %d and %d options, want 5 and 6 (from the manifest)", page.SevOptions, page.TagOptions)
	}

	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("input[name=q]").value = ""; document.querySelector("input[name=q]").focus()`),
		chromedp.KeyEvent("dev-cluster-105"))
	if err != nil {
		t.Fatal(err)
	}
	b.WaitFor(t, `location.search === "?q=dev-cluster-105" && document.querySelector("[data-sev-status]").textContent === "1 result"`)
	page = inspect(t, ctx)
	if page.Href != srv.URL+"/incidents/2026-03-02-checkout-errors-in-eu/" || !strings.Contains(page.Snippet, "dev-cluster-105") || page.Mark != "dev-cluster-105" {
		t.Errorf("after typing: %+v", page)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(t, `document.activeElement.className === "sev-result-title"`)

	err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("input[name=q]").value = "";
		const s = document.querySelector("select[name=tag]"); s.value = "database"; s.dispatchEvent(new Event("change"))`))
	if err != nil {
		t.Fatal(err)
	}
	b.WaitFor(t, `location.search === "?tag=database" && document.querySelector("[data-sev-status]").textContent === "2 results"`)
	if page = inspect(t, ctx); page.Titles != "Staging database failover|Pool sizes reviewed" {
		t.Errorf("filtered by tag, newest first: %q", page.Titles)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/find.html?q=kookaburra")); err != nil {
		t.Fatal(err)
	}
	if got := status(t, b); got != "1 result" {
		t.Fatalf("kookaburra: status %q", got)
	}
	if page = inspect(t, ctx); page.Mark != "kookaburra-gateway-8" || !strings.HasPrefix(page.Snippet, "Attachment: gateway.log ") {
		t.Errorf("a match in an attachment: %+v", page)
	}
	for _, m := range b.Console() {
		if m.IsException() || m.Type == "error" || m.Type == "warning" {
			t.Errorf("console: %s (%s)", m, m.URL)
		}
	}
}

type pageState struct {
	Title, Href, Mark, Snippet, Titles string
	Elements, SevOptions, TagOptions   int
}

func inspect(t *testing.T, ctx context.Context) pageState {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](`(() => {
		const list = document.querySelector("[data-sev-results]"), a = list.querySelector("a");
		return {
			Title: a ? a.textContent : "", Href: a ? a.href : "",
			Mark: (list.querySelector("mark") || {}).textContent || "",
			Snippet: (list.querySelector(".sev-result-snippet") || {}).textContent || "",
			Titles: [...list.querySelectorAll("a")].map(a => a.textContent).join("|"),
			Elements: list.querySelectorAll("img, script, b, [onerror]").length,
			SevOptions: document.querySelector("select[name=sev]").options.length,
			TagOptions: document.querySelector("select[name=tag]").options.length,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// status waits for the search to finish and returns the status line.
func status(t *testing.T, b *browsertest.Browser) string {
	t.Helper()
	b.WaitFor(t, `(s => s !== "" && s !== "Searching…")(document.querySelector("[data-sev-status]").textContent)`)
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.querySelector("[data-sev-status]").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
