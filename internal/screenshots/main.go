// Command screenshots takes the pictures of the incident library that
// README.md and docs/site.md show: it builds the demo organisation's site
// at a fixed reference time, serves it on loopback under its
// Content-Security-Policy, opens each page of the list in shots.go in
// headless Chromium (chromedp, as the browser tests do) at a set window
// size and colour scheme, and writes one PNG per picture.
//
// scripts/screenshots.sh runs it from the repository's root into
// docs/img. The same commit gives the same pictures: the reference time is
// fixed, the device scale factor is 1, colours are sRGB, the caret is
// hidden and each picture is the window, not the whole page; what can
// still differ between machines is the fonts installed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/site"
	"github.com/sev-dev/sev/internal/workspace"
)

// reference is the build's "now": the morning after the demo's last
// incident was declared, while it and the one before are still open.
const reference = "2026-11-20T09:30:00Z"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run takes the pictures; the exit code is 2 for a usage error and 1 when
// the site or a picture could not be made.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("screenshots", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dir := flags.String("C", ".", "the repository whose site to photograph")
	out := flags.String("out", filepath.Join("docs", "img"), "folder to write the PNGs into")
	now := flags.String("now", reference, "the build's reference time, RFC 3339")
	only := flags.String("only", "", "comma-separated names of the pictures to take (default: all)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "screenshots: unexpected argument %q\n", flags.Arg(0))
		return 2
	}
	list, err := pick(*only)
	if err != nil {
		fmt.Fprintf(stderr, "screenshots: -only: %v\n", err)
		return 2
	}
	if err := shoot(ctx, *dir, *now, *out, list, stdout); err != nil {
		fmt.Fprintf(stderr, "screenshots: %v\n", err)
		return 1
	}
	return 0
}

// pick is the pictures named in a comma-separated list, every picture for
// an empty one.
func pick(names string) ([]shot, error) {
	if names == "" {
		return shots, nil
	}
	var out []shot
	for _, name := range strings.Split(names, ",") {
		i := indexOf(name)
		if i < 0 {
			return nil, fmt.Errorf("no picture is called %q", name)
		}
		out = append(out, shots[i])
	}
	return out, nil
}

func indexOf(name string) int {
	for i, s := range shots {
		if s.name == name {
			return i
		}
	}
	return -1
}

// shoot builds the site, serves it and writes the pictures into out.
func shoot(ctx context.Context, dir, now, out string, list []shot, stdout io.Writer) error {
	tmp, err := os.MkdirTemp("", "sev-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := build(dir, now, filepath.Join(tmp, "site")); err != nil {
		return err
	}
	base, stop, err := serve(filepath.Join(tmp, "site"))
	if err != nil {
		return err
	}
	err = os.MkdirAll(out, 0o755)
	if err == nil {
		var at time.Time
		if at, err = time.Parse(time.RFC3339, now); err == nil {
			err = photograph(ctx, base, out, at, list, stdout)
		}
	}
	return errors.Join(err, stop())
}

// build writes the repository's site as sev build --now would; attachment
// text is read in this process (the demo's files are trusted).
func build(dir, now, out string) error {
	ws, err := workspace.Open(dir)
	if err != nil {
		return err
	}
	opts, _, err := ws.SiteOptions(workspace.Site{Out: out, Now: now, BaseURL: "https://northwind.example/incidents/"})
	if err != nil {
		return err
	}
	opts.Once = true
	_, sum, err := site.Build(ws.FS, ws.Settings, opts)
	if err != nil {
		return fmt.Errorf("build the site: %w", err)
	}
	if len(sum.Problems) > 0 {
		return fmt.Errorf("the site leaves out what sev validate rejects, fix it first:\n%v", sum.Problems)
	}
	return nil
}

// serve serves a built site on loopback with the Content-Security-Policy
// header, as a static host would; stop ends it and says whether serving
// failed.
func serve(dir string) (base string, stop func() error, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	files := http.FileServer(http.Dir(dir))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", site.CSP)
		files.ServeHTTP(w, r)
	})}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	stop = func() error {
		srv.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve the site: %w", err)
		}
		return nil
	}
	return "http://" + ln.Addr().String() + "/", stop, nil
}
