package site

import (
	"encoding/json"
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
	// and the search page with results written into it
	pages = append(pages, "search/?q=certificate")
	for _, p := range pages {
		url := base + strings.TrimSuffix(p, "index.html")
		b.Open(t, url)
		if strings.Contains(p, "?q=") {
			b.WaitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
		}
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

// chartContrast checks the colours the report charts end up with, under
// the page's stylesheet, against the chart's background by WCAG contrast
// ratio: lines, points and text stand out, every fill that stands for
// something differs from the background, and the near-white fills (bands,
// an empty chart, the heat map's empty cells) stay near the background.
// It returns the failures and how many elements of each group it saw.
const chartContrast = `(() => {
	const rgb = s => { const m = String(s).match(/[\d.]+/g); return m && m.length >= 3 ? m.slice(0, 3).map(Number) : null; };
	const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
	const bad = [], seen = {};
	const groups = [
		{name: "trend", sel: "line.trend, polyline.trend, .now, .median, .p90, .outline", prop: "stroke", min: 3},
		{name: "trend", sel: "circle.trend, circle.dot:not(.sev), rect.bin:not(.sev)", prop: "fill", min: 3},
		{name: "text", sel: "text:not(.cell-label)", prop: "fill", min: 3},
		{name: "cell-label", sel: "text.cell-label", prop: "fill", min: 3, on: e => e.previousElementSibling},
		{name: "marks", sel: "rect.sev, rect.load, rect.pm, rect.fu, rect.total-bar, rect.heat:not(.heat-0)", prop: "fill", min: 1.2},
		{name: "bands", sel: ".band, rect.empty, .heat-0", prop: "fill", max: 1.5},
		{name: "edges", sel: ".seg", prop: "stroke", max: 1.5},
	];
	for (const chart of document.querySelectorAll(".chart")) {
		const bg = rgb(getComputedStyle(chart).backgroundColor);
		for (const g of groups) {
			for (const e of chart.querySelectorAll(g.sel)) {
				const c = rgb(getComputedStyle(e)[g.prop]);
				const under = g.on ? rgb(getComputedStyle(g.on(e)).fill) : bg;
				seen[g.name] = (seen[g.name] || 0) + 1;
				const r = c && under ? ratio(c, under) : 0;
				if (r < (g.min || 0) || r > (g.max || 99)) {
					bad.push(chart.closest("section").id + ": " + e.tagName + "." + e.getAttribute("class") + " " + g.prop + " " + getComputedStyle(e)[g.prop] + " on " + under + ": contrast " + r.toFixed(2));
				}
			}
		}
	}
	return JSON.stringify({bad: [...new Set(bad)].slice(0, 20), seen});
})()`

// TestBrowserChartsReadInDark opens the demo's reports in light and dark
// mode and checks the charts' computed colours against their background
// (chartContrast).
func TestBrowserChartsReadInDark(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	b := browsertest.New(t)
	out, _ := build(t, "../..", Options{})
	b.Open(t, serveSite(t, out)+"reports/")
	for _, scheme := range []string{"light", "dark"} {
		emulate(t, b, phone{1280, 900, scheme})
		got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](chartContrast))
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Bad  []string
			Seen map[string]int
		}
		if err := json.Unmarshal([]byte(got), &res); err != nil {
			t.Fatal(err)
		}
		for _, g := range []string{"trend", "text", "cell-label", "marks", "bands", "edges"} {
			if res.Seen[g] == 0 {
				t.Errorf("%s: the demo's charts have no %s to check", scheme, g)
			}
		}
		for _, s := range res.Bad {
			t.Errorf("%s: %s", scheme, s)
		}
		b.Screenshot(t, "reports-"+scheme)
	}
}
