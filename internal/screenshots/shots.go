package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// shot is one picture: a page of the site, the window it is seen in and,
// for the search page, the words typed into its box.
type shot struct {
	name          string // the file is name.png
	path          string // below the site's root
	width, height int64
	dark          bool
	phone         bool
	typed         string
	// top is the id of the element the picture starts at (the page's
	// top when empty).
	top string
}

// The pictures: desktop windows 1280 × 800, phones 390 × 844 (a common
// phone's CSS pixels). README.md and docs/site.md show them.
var shots = []shot{
	{name: "now", path: "", width: 1280, height: 800},
	{name: "now-dark", path: "", width: 1280, height: 800, dark: true},
	{name: "incident", path: "incidents/2026-11-19-checkout-latency-spikes-in-eu-at-evening-peak/", width: 1280, height: 800},
	{name: "library", path: "library/", width: 1280, height: 800},
	{name: "search", path: "search/", width: 1280, height: 800, typed: "certificate"},
	{name: "reports", path: "reports/", width: 1280, height: 800},
	{name: "reports-dark", path: "reports/", width: 1280, height: 800, dark: true},
	{name: "status", path: "status/", width: 1280, height: 800},
	{name: "status-components", path: "status/", width: 1280, height: 800, top: "components-h"},
	{name: "status-components-dark", path: "status/", width: 390, height: 844, phone: true, dark: true, top: "components-h"},
	{name: "oncall", path: "oncall/", width: 1280, height: 800},
	{name: "now-phone", path: "", width: 390, height: 844, phone: true},
	{name: "incident-phone-dark", path: "incidents/2026-11-19-checkout-latency-spikes-in-eu-at-evening-peak/", width: 390, height: 844, phone: true, dark: true},
	{name: "status-phone", path: "status/", width: 390, height: 844, phone: true},
}

// chromium is the browser's path.
func chromium() (string, error) {
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("no Chromium on the PATH (apt-get install -y chromium)")
}

// photograph opens each page of list in one headless Chromium and writes
// its picture into out.
func photograph(ctx context.Context, base, out string, now time.Time, list []shot, stdout io.Writer) error {
	exe, err := chromium()
	if err != nil {
		return err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe),
		chromedp.Flag("force-color-profile", "srgb"), chromedp.Flag("font-render-hinting", "none"))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	// The pages' clock is the build's reference time, so what the script
	// says about the data's age is the same whatever day the pictures
	// are taken.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: fmt.Sprintf(clock, now.UnixMilli())}); err != nil {
		return err
	}
	for _, s := range list {
		pic, err := take(ctx, base, s)
		if err != nil {
			return fmt.Errorf("%s (/%s): %w", s.name, s.path, err)
		}
		file := filepath.Join(out, s.name+".png")
		if err := os.WriteFile(file, pic, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s  %d×%d  %d KiB\n", file, s.width, s.height, len(pic)>>10)
	}
	return nil
}

// clock makes Date run from the given milliseconds since the epoch.
const clock = `(() => {
	const Real = Date, shift = %d - Real.now();
	class Fixed extends Real {
		constructor(...args) { if (args.length) super(...args); else super(Real.now() + shift); }
		static now() { return Real.now() + shift; }
	}
	globalThis.Date = Fixed;
})();`

// ready holds once the page has loaded with its fonts.
const ready = `document.readyState === "complete" && document.fonts.status === "loaded"`

// take is one picture: the window after the page has settled.
func take(ctx context.Context, base string, s shot) ([]byte, error) {
	scheme := "light"
	if s.dark {
		scheme = "dark"
	}
	viewport := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if s.phone {
		viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, s.height, viewport...))
	if err == nil {
		_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Navigate(base+s.path))
	}
	if err == nil {
		err = wait(ctx, ready)
	}
	if err == nil && s.typed != "" {
		err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#q"), s.typed))
		if err == nil {
			err = wait(ctx, `document.querySelectorAll(".sev-result").length > 0 && new URLSearchParams(location.search).get("q") === `+fmt.Sprintf("%q", s.typed))
		}
	}
	if err != nil {
		return nil, err
	}
	// no blinking caret in the picture; the part of the page it shows
	scroll := `window.scrollTo(0, 0)`
	if s.top != "" {
		scroll = fmt.Sprintf(`document.getElementById(%q).scrollIntoView()`, s.top)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement && document.activeElement.blur(), `+scroll+`, true`)); err != nil {
		return nil, err
	}
	pic, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, err
	}
	return compress(pic)
}

// wait waits up to 15 s until a JavaScript condition holds on the page.
func wait(ctx context.Context, cond string) error {
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(resolve => {
		const end = Date.now() + 15000;
		const poll = () => { if (`+cond+`) resolve(true); else if (Date.now() > end) resolve(false); else setTimeout(poll, 25); };
		poll();
	})`, chromedp.EvalAwaitPromise))
	if err == nil && !ok {
		err = fmt.Errorf("the page never got to %s", cond)
	}
	return err
}

// compress encodes Chromium's PNG again at Go's best compression, which
// is smaller and gives the same bytes for the same pixels.
func compress(pic []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(pic))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
