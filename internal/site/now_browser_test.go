package site

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sev-dev/sev/internal/browsertest"
)

// TestBrowserNowRefreshes opens the Now page, then changes now.json on
// the server as a new deploy would: the page redraws itself from it
// without a reload (a marker set on window survives), draws exactly what
// the template draws for the same data, shows a hostile title as text,
// and says how old its data is, stale, or unchecked.
func TestBrowserNowRefreshes(t *testing.T) {
	b := browsertest.New(t)
	out, _ := build(t, repo(t, nowRepo()), Options{})
	base := serveSite(t, out)
	b.Open(t, base)
	// the build's reference time (testNow) is long past: the data is stale
	b.WaitFor(t, `document.querySelector("[data-sev-age]").textContent.startsWith("Stale: the data is ")`)
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	viewText := `document.querySelector("[data-sev-now-view]").innerText.replace(/\s+/g, " ").trim()`
	built := eval(viewText)
	if !strings.Contains(built, "Checkout errors in EU") || !strings.Contains(built, "Stale index") {
		t.Fatalf("the built Now page:\n%s", built)
	}
	eval(`window.sevMarker = "kept"; document.querySelector(".card h3 a").focus(); ""`)
	data, err := os.ReadFile(filepath.Join(out, "now.json"))
	if err != nil {
		t.Fatal(err)
	}
	// deploy publishes data and the page picks it up when the tab is shown
	// again (it also polls each minute, too slow for a test)
	deploys := 0
	deploy := func(data []byte) {
		t.Helper()
		file := filepath.Join(out, "now.json")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		// a later deploy has a later time: the server's Last-Modified is
		// in whole seconds, and the page revalidates its copy with it
		deploys++
		later := time.Now().Add(time.Duration(deploys) * time.Minute)
		if err := os.Chtimes(file, later, later); err != nil {
			t.Fatal(err)
		}
		eval(`document.dispatchEvent(new Event("visibilitychange")); ""`)
		b.WaitFor(t, fmt.Sprintf(`document.querySelector("[data-sev-now]").dataset.sevNow === %q`, fmt.Sprintf("%08x", fnv32(string(data)))))
	}

	// the same data in other bytes: the script draws what the template drew
	deploy(append(data, ' ', '\n'))
	if drawn := eval(viewText); drawn != built {
		t.Errorf("the script draws the Now page otherwise than the template:\n got %s\nwant %s", drawn, built)
	}

	// a new open incident, with a title that would run script as markup
	var doc nowDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	fire := doc.Open[0]
	fire.ID, fire.Href, fire.Severity, fire.SeverityName = "2026-03-02-new-fire", "incidents/2026-03-02-new-fire/", 2, "SEV2"
	fire.Title = `<img src=x onerror=alert(1)>New fire`
	fire.Latest = nil
	doc.Open = append(doc.Open, fire)
	doc.Counts.BySeverity = append(doc.Counts.BySeverity, nowSevCount{2, "SEV2", 1})
	doc.Updated = time.Now().UTC().Format(time.RFC3339)
	fresh, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	deploy(fresh)
	got := eval(viewText)
	for _, want := range []string{"2 incidents open", "SEV1: 1 open · SEV2: 1 open", "<img src=x onerror=alert(1)>New fire", "Checkout errors in EU"} {
		if !strings.Contains(got, want) {
			t.Errorf("after the new data the page does not show %q:\n%s", want, got)
		}
	}
	if n := eval(`String(document.querySelectorAll("main img").length)`); n != "0" {
		t.Errorf("the hostile title became %s image(s)", n)
	}
	if href := eval(`[...document.querySelectorAll(".card h3 a")].map(a => a.getAttribute("href")).join(" ")`); href != "incidents/2026-03-01-checkout-errors/ incidents/2026-03-02-new-fire/" {
		t.Errorf("the cards link to %s", href)
	}
	if f := eval(`document.activeElement.getAttribute("href") ?? ""`); f != "incidents/2026-03-01-checkout-errors/" {
		t.Errorf("the redraw moved the focus off the reader's link to %q", f)
	}
	if m := eval(`window.sevMarker ?? "gone"`); m != "kept" {
		t.Errorf("the page was reloaded (marker %q)", m)
	}
	if line := eval(`document.querySelector("[data-sev-age]").textContent`); !regexp.MustCompile(`^Updated (just now|\d+ min ago) · data as of \d\d:\d\d$`).MatchString(line) {
		t.Errorf("the freshness line after fresh data: %q", line)
	}
	b.Screenshot(t, "now-refreshed")
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	if d := b.Dialogs(); len(d) > 0 {
		t.Errorf("a payload ran: %q", d)
	}

	// a deploy that lost the file: the page keeps what it shows and says so
	if err := os.Remove(filepath.Join(out, "now.json")); err != nil {
		t.Fatal(err)
	}
	eval(`document.dispatchEvent(new Event("visibilitychange")); ""`)
	b.WaitFor(t, `document.querySelector("[data-sev-age]").textContent.startsWith("Could not check for newer data: showing the data as of ")`)
	if got := eval(viewText); !strings.Contains(got, "New fire") {
		t.Errorf("without now.json the page dropped what it showed:\n%s", got)
	}

	// opened from a folder no script runs (module scripts need a server):
	// the page is as built and says when that was
	b.Open(t, "file://"+filepath.Join(out, "index.html"))
	if line := eval(`document.querySelector("[data-sev-age]").textContent`); line != "Data as of 2 Mar 2026 15:05 CET." {
		t.Errorf("opened from a folder the freshness line says %q", line)
	}
	if got := eval(viewText); got != built {
		t.Errorf("opened from a folder the page is not as built:\n%s", got)
	}
}
