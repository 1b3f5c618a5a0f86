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

// screen is one window the site must work in: a width, a height and a
// colour scheme.
type screen struct {
	width, height int64
	scheme        string
}

// screens are a desktop and two phones, 390 and 320 pixels wide, light
// then dark, so the colour scheme changes once per page.
var screens = []screen{
	{1280, 900, "light"}, {390, 844, "light"}, {320, 640, "light"},
	{1280, 900, "dark"}, {390, 844, "dark"}, {320, 640, "dark"},
}

// emulate gives the tab a window size and a colour scheme; the open page
// lays itself out again without a reload.
func emulate(t *testing.T, b *browsertest.Browser, s screen) {
	t.Helper()
	err := chromedp.Do(b.Ctx, chromedp.EmulateViewport(s.width, s.height))
	if err == nil {
		_, err = chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s.scheme}}})
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

// colourJS reads the colours getComputedStyle gives (rgb(), rgba() and,
// for color-mix(), color(srgb …)) as [r, g, b, alpha] on 0-255, lays a
// translucent colour over an opaque one and gives the WCAG contrast ratio
// of two opaque colours.
const colourJS = `
	const parse = s => {
		s = String(s).trim();
		let m = s.match(/^rgba?\(([^)]*)\)$/);
		if (m) { const v = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; }
		m = s.match(/^color\(srgb ([^)]*)\)$/);
		if (m) { const v = m[1].split(/[\s\/]+/).filter(Boolean).map(Number); return [v[0] * 255, v[1] * 255, v[2] * 255, v.length > 3 ? v[3] : 1]; }
		return null;
	};
	const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat(1); };
	const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
	const show = c => c ? "rgb(" + c.slice(0, 3).map(Math.round).join(",") + ")" : "?";
	const label = e => e.tagName.toLowerCase() + (e.getAttribute("class") ? "." + e.getAttribute("class").trim().split(/\s+/).join(".") : "");
`

// chartContrast checks the colours the report charts end up with, under
// the page's stylesheet, against the chart's background by WCAG contrast
// ratio: lines, points and text stand out, every fill that stands for
// something differs from the background, and the near-white fills (bands,
// an empty chart, the heat map's empty cells) stay near the background.
// It returns the failures and how many elements of each group it saw.
const chartContrast = `(() => {` + colourJS + `
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
		const bg = parse(getComputedStyle(chart).backgroundColor);
		for (const g of groups) {
			for (const e of chart.querySelectorAll(g.sel)) {
				const c = parse(getComputedStyle(e)[g.prop]);
				const under = g.on ? parse(getComputedStyle(g.on(e)).fill) : bg;
				seen[g.name] = (seen[g.name] || 0) + 1;
				const r = c && under ? ratio(c, under) : 0;
				if (r < (g.min || 0) || r > (g.max || 99)) {
					bad.push(chart.closest("section").id + ": " + label(e) + " " + g.prop + " " + getComputedStyle(e)[g.prop] + " on " + show(under) + ": contrast " + r.toFixed(2));
				}
			}
		}
	}
	return JSON.stringify({bad: [...new Set(bad)].slice(0, 20), seen});
})()`

// textContrast checks every piece of text on the page, and every SVG
// mark outside the report charts (which chartContrast checks), against
// the background it is drawn on: the element's and its ancestors'
// background colours laid over each other (each stop of a gradient
// tried), the text's own alpha and the opacity on its way applied. Text
// needs a WCAG contrast ratio of 4.5, large text (24 px, or 18.66 px
// bold) and SVG marks 3. It returns the failures and how many elements it
// checked.
const textContrast = `(() => {` + colourJS + `
	const bad = [];
	let seen = 0;
	const grads = s => (String(s).match(/(rgba?|color)\([^)]*\)/g) || []).map(parse);
	// the colours an element may sit on: its own background and its
	// ancestors', from the canvas up
	// (each element's worked out once, from its parent's)
	const memo = new Map();
	const backgrounds = e => {
		if (!e || e.nodeType !== 1) return [[255, 255, 255, 1]];
		if (memo.has(e)) return memo.get(e);
		let bases = backgrounds(e.parentElement);
		const st = getComputedStyle(e), colour = parse(st.backgroundColor);
		if (bases && colour && colour[3] > 0) bases = bases.map(b => over(colour, b));
		if (bases && st.backgroundImage !== "none") {
			const stops = grads(st.backgroundImage);
			bases = stops.some(s => !s) ? null : bases.flatMap(b => stops.map(s => over(s, b)));
		}
		memo.set(e, bases);
		return bases;
	};
	const opacity = e => { let o = 1; for (let a = e; a && a.nodeType === 1; a = a.parentElement) o *= Number(getComputedStyle(a).opacity); return o; };
	const shown = e => {
		if (e.closest(".visually-hidden, [hidden], script, style, noscript, template, option")) return false;
		const st = getComputedStyle(e);
		if (st.visibility !== "visible" || st.display === "none") return false;
		const r = e.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0;
	};
	const check = (e, prop, min, what) => {
		const raw = getComputedStyle(e)[prop];
		if (raw === "none" || raw === "transparent" || raw === "rgba(0, 0, 0, 0)") return;
		let c = parse(raw);
		const host = e instanceof SVGElement ? (e.closest("svg").parentElement || e) : e;
		const bases = backgrounds(host);
		seen++;
		if (!c || !bases) { bad.push(label(e) + ": cannot read " + prop + " " + raw + " or its background"); return; }
		c = c.slice(0, 3).concat(c[3] * opacity(e));
		let worst = 99, on = null;
		for (const b of bases) { const r = ratio(over(c, b), b); if (r < worst) { worst = r; on = b; } }
		if (worst < min) bad.push(label(e) + " " + JSON.stringify(what.slice(0, 30)) + ": " + prop + " " + show(over(c, on)) + " on " + show(on) + ": contrast " + worst.toFixed(2) + " < " + min);
	};
	for (const e of document.body.querySelectorAll("*")) {
		if (!shown(e)) continue;
		if (e instanceof SVGElement) {
			if (e.closest(".chart")) continue;
			if (e.tagName === "text") check(e, "fill", 3, e.textContent);
			else if (["rect", "circle", "ellipse", "path", "line", "polyline", "polygon"].includes(e.tagName)) {
				check(e, "fill", 3, "fill");
				check(e, "stroke", 3, "stroke");
			}
			continue;
		}
		const own = [...e.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => n.textContent.trim()).join(" ");
		const control = ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(e.tagName);
		if (!own && !control) continue;
		const st = getComputedStyle(e);
		const size = parseFloat(st.fontSize), large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
		check(e, "color", large ? 3 : 4.5, own || e.value || "");
	}
	return JSON.stringify({bad: [...new Set(bad)].slice(0, 20), seen});
})()`

// contrastResult is what chartContrast and textContrast return.
type contrastResult struct {
	Bad  []string
	Seen json.RawMessage
}

// evalJSON runs a script that returns JSON and decodes its answer.
func evalJSON(t *testing.T, b *browsertest.Browser, script string, v any) {
	t.Helper()
	got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](script))
	if err == nil {
		err = json.Unmarshal([]byte(got), v)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// demoPages are the pages of the demo's site, the search page twice more
// (with a query in its URL and with one typed into its box), and each
// page's kind; every kind must be there.
func demoPages(t *testing.T, out string) (pages []string) {
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
	return append(pages, "search/?q=certificate", "search/#typed")
}

// openPage opens one of demoPages and waits for what script writes into
// it: search results.
func openPage(t *testing.T, b *browsertest.Browser, base, p string) {
	t.Helper()
	page, typed := strings.CutSuffix(p, "#typed")
	b.Open(t, base+strings.TrimSuffix(page, "index.html"))
	if typed {
		if err := chromedp.Do(b.Ctx, chromedp.SendKeys(chromedp.CSS("#q"), "certificate")); err != nil {
			t.Fatal(err)
		}
	}
	if typed || strings.Contains(p, "?q=") {
		b.WaitFor(t, `document.querySelectorAll(".sev-result").length > 0`)
	}
}

// TestBrowserEveryPage opens every page of the demo's site once and looks
// at it on a desktop (1280 × 900) and on phones 390 and 320 pixels wide,
// light and dark: no page scrolls sideways (a wide table or chart scrolls
// inside its own box instead), and, once per colour scheme, every text
// and SVG mark stands out from what it is drawn on (textContrast; the
// report charts by chartContrast, whose every group the demo's reports
// must have).
func TestBrowserEveryPage(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	b := browsertest.New(t)
	out, _ := build(t, "../..", Options{})
	base := serveSite(t, out)
	shot := map[string]bool{}
	chartsSeen := map[string]map[string]int{}
	postmortems, checked := 0, 0
	for _, p := range demoPages(t, out) {
		openPage(t, b, base, p)
		if n, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.postmortem").length`)); n > 0 {
			postmortems++
		}
		for i, s := range screens {
			emulate(t, b, s)
			where := fmt.Sprintf("%s at %d px, %s", p, s.width, s.scheme)
			if k := pageKind(p) + "-" + s.scheme; s.width == 390 && !shot[k] {
				shot[k] = true
				b.Screenshot(t, "phone-"+strings.ReplaceAll(k, "/", "-"))
			}
			got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](strings.Replace(overflowing, "WIDTH", fmt.Sprint(s.width), 1)))
			if err != nil {
				t.Fatal(err)
			}
			if got != "" {
				t.Errorf("%s: %s", where, got)
				b.Screenshot(t, fmt.Sprintf("wide-%s-%d-%s", strings.ReplaceAll(p, "/", "_"), s.width, s.scheme))
			}
			if i > 0 && screens[i-1].scheme == s.scheme {
				continue // the colours are the same at every width
			}
			var text, charts contrastResult
			evalJSON(t, b, textContrast, &text)
			evalJSON(t, b, chartContrast, &charts)
			for _, bad := range append(text.Bad, charts.Bad...) {
				t.Errorf("%s: %s", where, bad)
			}
			var seen int
			json.Unmarshal(text.Seen, &seen)
			checked += seen
			if pageKind(p) == "reports" {
				var groups map[string]int
				json.Unmarshal(charts.Seen, &groups)
				chartsSeen[s.scheme] = groups
			}
		}
	}
	if postmortems == 0 {
		t.Error("no page of the demo shows a postmortem")
	}
	if checked < 10000 {
		t.Errorf("only %d texts and marks had their contrast checked", checked)
	}
	for _, scheme := range []string{"light", "dark"} {
		for _, g := range []string{"trend", "text", "cell-label", "marks", "bands", "edges"} {
			if chartsSeen[scheme][g] == 0 {
				t.Errorf("%s: the demo's charts have no %s to check", scheme, g)
			}
		}
	}
}
