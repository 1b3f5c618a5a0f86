package site

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/sev-dev/sev/internal/browsertest"
)

// phone is one screen the site must fit: a width, a height and a colour
// scheme.
type phone struct {
	width, height int64
	scheme        string
}

var phones = []phone{{390, 844, "light"}, {390, 844, "dark"}, {320, 640, "light"}, {320, 640, "dark"}}

// emulate makes the tab a phone screen in a colour scheme; the open page
// lays itself out again without a reload.
func emulate(t *testing.T, b *browsertest.Browser, p phone) {
	t.Helper()
	err := chromedp.Do(b.Ctx, chromedp.EmulateViewport(p.width, p.height))
	if err == nil {
		_, err = chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: p.scheme}}})
	}
	if err != nil {
		t.Fatal(err)
	}
}

// overflowing names the elements that reach past the right edge of the
// screen (for the failure message); it is empty when the page fits.
const overflowing = `(() => {
	const w = window.innerWidth;
	if (w !== WIDTH) return "the window is " + w + " px wide";
	if (document.documentElement.scrollWidth <= w) return "";
	const wide = [...document.body.querySelectorAll("*")].filter(e => {
		const r = e.getBoundingClientRect();
		return r.right > w + 0.5 && r.width > 0 && !e.closest(".visually-hidden");
	});
	const leaves = wide.filter(e => !wide.some(o => o !== e && e.contains(o)));
	return "scrollWidth " + document.documentElement.scrollWidth + " > " + w + ": " +
		leaves.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") +
			" (" + Math.round(e.getBoundingClientRect().right) + ") " + JSON.stringify((e.textContent || "").slice(0, 40))).join("; ");
})()`

// TestBrowserFitsPhones opens every page of the demo's site on phone
// screens 390 and 320 pixels wide, light and dark: no page scrolls
// sideways (a wide table or chart scrolls inside its own box instead).
func TestBrowserFitsPhones(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	b := browsertest.New(t)
	out, _ := build(t, "../..", Options{})
	base := serveSite(t, out)
	var pages []string
	for p := range tree(t, out) {
		if strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	kinds := map[string]bool{}
	for _, p := range pages {
		kinds[pageKind(p)] = true
	}
	for _, want := range []string{"now", "incident", "attachment", "library", "library/facet", "postmortems", "people", "person", "oncall", "reports", "status", "search", "404"} {
		if !kinds[want] {
			t.Errorf("the demo site has no %s page to check", want)
		}
	}
	shot := map[string]bool{}
	for _, p := range pages {
		url := base + strings.TrimSuffix(p, "index.html")
		b.Open(t, url)
		for _, ph := range phones {
			emulate(t, b, ph)
			if k := pageKind(p) + "-" + ph.scheme; ph.width == 390 && !shot[k] {
				shot[k] = true
				b.Screenshot(t, "phone-"+strings.ReplaceAll(k, "/", "-"))
			}
			got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](strings.Replace(overflowing, "WIDTH", fmt.Sprint(ph.width), 1)))
			if err != nil {
				t.Fatal(err)
			}
			if got != "" {
				t.Errorf("%s at %d px, %s: %s", p, ph.width, ph.scheme, got)
				b.Screenshot(t, fmt.Sprintf("phone-%s-%d-%s", strings.ReplaceAll(p, "/", "_"), ph.width, ph.scheme))
			}
		}
	}
}

// pageKind is the kind of page at a path of the built site.
func pageKind(p string) string {
	parts := strings.Split(strings.TrimSuffix(p, "/index.html"), "/")
	switch {
	case p == "index.html":
		return "now"
	case p == "404.html":
		return "404"
	case parts[0] == "incidents" && len(parts) == 2:
		return "incident"
	case parts[0] == "incidents" && len(parts) > 2:
		return "attachment"
	case parts[0] == "library" && len(parts) > 1 && parts[1] != "page":
		return "library/facet"
	case parts[0] == "people" && len(parts) == 2:
		return "person"
	}
	return parts[0]
}
