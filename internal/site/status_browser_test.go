package site

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sev-dev/sev/internal/browsertest"
)

// A link to a part of the status page (a component, a notice: status/#ID)
// shows it: on a desktop below the sticky bar, not under it; on a phone
// the bar scrolls away.
func TestBrowserFragmentNotHidden(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	b := browsertest.New(t)
	out, _ := build(t, "../..", Options{Now: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)})
	base := serveSite(t, out)
	for _, p := range []screen{{1280, 900, "light"}, {390, 844, "dark"}} {
		emulate(t, b, p)
		b.Open(t, base+"status/#component-search")
		got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(() => {
			const el = document.getElementById(location.hash.slice(1)).getBoundingClientRect();
			const bar = document.querySelector(".top").getBoundingClientRect();
			if (window.scrollY === 0) return "the page did not scroll to the notice";
			const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
			return el.top >= bar.bottom - 1 && (el.top < window.innerHeight / 2 || bottom) ? "" : "the notice is at " + el.top + ", the bar ends at " + bar.bottom;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if got != "" {
			t.Errorf("%d px: %s", p.width, got)
		}
	}
}
