// Command sitequery measures a static site's search in Chromium, on
// queries whose answers are known from the repository the site was built
// from: Hugo + Pagefind, sev's own search, or both side by side.
//
//	go run ./bench/sitequery -repo REPO -pagefind HUGO_PUBLIC [-sev SEV_PUBLIC]
//
// Each site folder is served over loopback as stored (no compression by
// the server). For every query a new browser context (an empty cache)
// opens a blank page of the site's origin and runs the search through the
// engine's JavaScript API, as the site's search box would: Pagefind's
// pagefind.js, or the module and function that sev's site serves (flags
// -sev-module and -sev-func, as its path is not final). Measured: the bytes
// transferred for that cold first query (every response's encoded length,
// headers included, the engine's JavaScript and WebAssembly too), the
// milliseconds from the call to the top 5 results, then the same query
// again in the loaded page (warm: what a query costs once the index
// shards it needs have arrived), and the top 5 incidents.
//
// The queries and their answers (see queries.go): the generator's planted
// phrases and identifiers (the incidents that mention them), words found
// only through stemming (the incidents with a word of the same Snowball
// stem), and some of both restricted to one severity. Quality is the share
// of the answers in the top 5: hits / min(5, answers).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
)

type options struct {
	repo, planted     string
	pagefind, sev     string
	sevModule, sevFn  string
	sevBase           string
	chromium          string
	warm              int
	jsonOut, shot     string
	verbose           bool
	onlyKind, onlyTxt string
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}
	if err := measureAll(o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "sitequery: %v\n", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("sitequery", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.repo, "repo", "", "the sev repository the sites were built from (required)")
	fs.StringVar(&o.planted, "planted", "", "the output of sev dev gen --json, for its planted phrases and their incidents (default: the generator's phrases, answers found in the repository)")
	fs.StringVar(&o.pagefind, "pagefind", "", "a site folder indexed by Pagefind (hugo's public/ after pagefind --site)")
	fs.StringVar(&o.sev, "sev", "", "a site folder written by sev build")
	fs.StringVar(&o.sevModule, "sev-module", "/assets/search.js", "the URL path of the sev site's search module")
	fs.StringVar(&o.sevFn, "sev-func", "search", "the module's search function: fn(query, {filters, limit, base}) -> {results: [{id, url}], total, ms}")
	fs.StringVar(&o.sevBase, "sev-base", "", "the base option passed to the sev search function (none when empty)")
	fs.StringVar(&o.chromium, "chromium", defaultChromium(), "the Chromium binary")
	fs.IntVar(&o.warm, "warm", 3, "warm repetitions of each query (the median is reported)")
	fs.StringVar(&o.jsonOut, "json", "", "also write every measurement to this JSON file")
	fs.StringVar(&o.shot, "screenshot", "", "save a full-page PNG of each engine's first result page as PREFIX-ENGINE.png")
	fs.BoolVar(&o.verbose, "v", false, "list the resources each cold query downloaded")
	fs.StringVar(&o.onlyKind, "kind", "", "run only the queries of this kind (planted, stem or filter)")
	fs.StringVar(&o.onlyTxt, "query", "", "run only the queries with this text")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.repo == "" || (o.pagefind == "" && o.sev == "") || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: sitequery -repo REPO [-planted GEN.json] [-pagefind DIR] [-sev DIR] [flags]; at least one site")
		fs.PrintDefaults()
		return nil, errors.New("usage")
	}
	return o, nil
}

func defaultChromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return "" // chromedp looks for it
}

func measureAll(o *options, stdout, stderr io.Writer) error {
	qs, err := loadQueries(o)
	if err != nil {
		return err
	}
	var engines []*engine
	if o.pagefind != "" {
		engines = append(engines, pagefindEngine(o.pagefind))
	}
	if o.sev != "" {
		engines = append(engines, sevEngine(o.sev, o.sevModule, o.sevFn, o.sevBase))
	}
	ctx, stop, err := browser(o.chromium)
	if err != nil {
		return err
	}
	defer stop()
	all := map[string][]*result{}
	for _, e := range engines {
		rs, err := runEngine(ctx, e, qs, o, stderr)
		if err != nil {
			return err
		}
		all[e.name] = rs
		printTable(stdout, e, rs, o.verbose)
	}
	if len(engines) == 2 {
		printRatios(stdout, all["pagefind"], all["sev"])
	}
	if o.jsonOut != "" {
		return writeJSON(o.jsonOut, all)
	}
	return nil
}

func loadQueries(o *options) ([]*query, error) {
	var planted map[string][]string
	if o.planted != "" {
		var err error
		if planted, err = readPlanted(o.planted); err != nil {
			return nil, err
		}
	}
	s, err := loadSettings(o.repo)
	if err != nil {
		return nil, err
	}
	lib, err := library.Load(os.DirFS(o.repo), s)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", o.repo, err)
	}
	qs, err := buildQueries(lib.Visible(false), planted)
	if err != nil {
		return nil, err
	}
	var out []*query
	for _, q := range qs {
		if (o.onlyKind == "" || q.Kind == o.onlyKind) && (o.onlyTxt == "" || q.Text == o.onlyTxt) {
			out = append(out, q)
		}
	}
	return out, nil
}

func loadSettings(repo string) (*config.Settings, error) {
	s, diags, err := config.Read(os.DirFS(repo))
	if err == nil && diags.Errors() > 0 {
		err = fmt.Errorf("%s has problems, run sev validate: %w", config.File, diags.Err())
	}
	return s, err
}

// runEngine serves the engine's site and measures every query on it.
func runEngine(ctx context.Context, e *engine, qs []*query, o *options, stderr io.Writer) ([]*result, error) {
	if _, err := os.Stat(e.dir); err != nil {
		return nil, fmt.Errorf("%s site: %w", e.name, err)
	}
	srv := serve(e.dir)
	defer srv.Close()
	var out []*result
	for i, q := range qs {
		fmt.Fprintf(stderr, "\r%s: query %d of %d", e.name, i+1, len(qs))
		r := measure(ctx, e, srv, q, o.warm)
		if r.Err != "" && i == 0 {
			fmt.Fprintln(stderr)
			return nil, fmt.Errorf("%s: the first query failed, is the site built and indexed? %s", e.name, r.Err)
		}
		out = append(out, r)
	}
	fmt.Fprintln(stderr)
	if len(srv.failed) > 0 {
		fmt.Fprintf(stderr, "%s: %d requests failed, the first: %s\n", e.name, len(srv.failed), strings.Join(srv.failed[:min(3, len(srv.failed))], ", "))
	}
	if o.shot != "" && len(out) > 0 && len(out[0].Top) > 0 {
		file := o.shot + "-" + e.name + ".png"
		if err := screenshot(ctx, srv.URL+"/incidents/"+out[0].Top[0]+"/", file); err != nil {
			return nil, fmt.Errorf("screenshot: %w", err)
		}
		fmt.Fprintf(stderr, "%s: screenshot of /incidents/%s/ in %s\n", e.name, out[0].Top[0], file)
	}
	return out, nil
}

func writeJSON(file string, all map[string][]*result) error {
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}
