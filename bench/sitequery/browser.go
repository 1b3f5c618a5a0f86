package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// engine is a site's search, driven through its JavaScript API in the
// page. Its script is an async function (query, filters, limit) that
// returns {ids, total, ms, engineMs}: the top results (incident IDs or
// page URLs), how many there are, the milliseconds the page measured from
// the call to the results, and the engine's own figure if it reports one.
type engine struct {
	name   string
	dir    string
	script string
}

// pagefindEngine searches a site indexed by Pagefind through its
// JavaScript API (pagefind.js); a result's page URL names the incident.
func pagefindEngine(dir string) *engine {
	return &engine{name: "pagefind", dir: dir, script: `async (q, filters, limit) => {
  const t0 = performance.now();
  const pf = await import("/pagefind/pagefind.js");
  if (pf.init) await pf.init();
  const r = await pf.search(q, filters ? {filters} : {});
  const top = await Promise.all(r.results.slice(0, limit).map(x => x.data()));
  return {ids: top.map(d => d.url), total: r.results.length, ms: performance.now() - t0, engineMs: null};
}`}
}

// sevEngine searches a site built by sev build through the module and
// function that serve its search: search(query, {filters, limit, base})
// resolving to {results: [{id, url, ...}], total, ms}.
func sevEngine(dir, module, fn, base string) *engine {
	opts := "{limit}"
	if base != "" {
		opts = "{limit, base: " + jsString(base) + "}"
	}
	return &engine{name: "sev", dir: dir, script: `async (q, filters, limit) => {
  const t0 = performance.now();
  const m = await import(` + jsString(module) + `);
  const opts = ` + opts + `;
  if (filters) opts.filters = filters;
  const r = await m[` + jsString(fn) + `](q, opts);
  const res = (r.results || []).slice(0, limit);
  return {ids: res.map(x => x.id || x.url), total: r.total ?? res.length, ms: performance.now() - t0, engineMs: r.ms ?? null};
}`}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// blankPath is the harness's own empty page, the origin the searches run
// from. It sets no Content-Security-Policy, so the engines' own scripts
// (and WebAssembly) load as a site page of theirs would let them, and no
// favicon is asked for.
const blankPath = "/__sitequery/blank.html"

const blankPage = `<!doctype html><html lang=en><head><link rel=icon href="data:,"><title>sitequery</title></head><body></body></html>`

// site serves a built site's folder over loopback as stored: no
// compression by the server (Pagefind's chunks are gzip files already, as
// sev's shards are meant to be), so the bytes counted are the files'.
//
// It counts what it sends, at the connections: every byte written,
// status lines, headers and bodies. That is what the browser receives,
// whoever asks — the page, or a Web Worker, where Pagefind fetches its
// index and whose requests the page's DevTools session does not see.
type site struct {
	*httptest.Server
	sent atomic.Int64 // bytes written to every connection

	mu       sync.Mutex
	inflight int
	last     time.Time  // when the last request started
	served   []resource // since reset, bodies only
	failed   []string   // paths answered with an error status
}

func serve(dir string) *site {
	s := &site{}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == blankPath {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, blankPage)
			return
		}
		s.begin()
		sw := &countingWriter{ResponseWriter: w}
		files.ServeHTTP(sw, r)
		s.end(r.URL.Path, sw)
	}))
	s.Listener = &countingListener{Listener: s.Listener, sent: &s.sent}
	s.Start()
	return s
}

func (s *site) begin() {
	s.mu.Lock()
	s.inflight++
	s.last = time.Now()
	s.mu.Unlock()
}

func (s *site) end(p string, w *countingWriter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
	s.served = append(s.served, resource{URL: p, Bytes: w.n})
	if w.status >= 400 {
		s.failed = append(s.failed, fmt.Sprintf("%d %s", w.status, p))
	}
}

// reset starts counting anew and returns the bytes sent so far.
func (s *site) reset() int64 {
	s.mu.Lock()
	s.served = nil
	s.mu.Unlock()
	return s.sent.Load()
}

// settle waits until no request is in flight and none has started for a
// while, so whatever the engine fetches after it answered (a prefetch)
// is counted too, then returns what was served since reset.
func (s *site) settle(quiet, limit time.Duration) []resource {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		s.mu.Lock()
		done := s.inflight == 0 && time.Since(s.last) >= quiet
		s.mu.Unlock()
		if done {
			break
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.served)
}

type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *countingWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

type countingListener struct {
	net.Listener
	sent *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, sent: l.sent}, nil
}

type countingConn struct {
	net.Conn
	sent *atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.sent.Add(int64(n))
	return n, err
}

// browser starts headless Chromium.
func browser(execPath string) (context.Context, context.CancelFunc, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.WindowSize(1280, 900))
	if execPath != "" {
		opts = append(opts, chromedp.ExecPath(execPath))
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancelCtx()
		cancelAlloc()
		return nil, nil, fmt.Errorf("start chromium: %w", err)
	}
	return ctx, func() { cancelCtx(); cancelAlloc() }, nil
}

// result is what one query measured on one engine.
type result struct {
	Query    *query   `json:"query"`
	Top      []string `json:"top"` // incident IDs, best first
	Total    int      `json:"total"`
	Bytes    int64    `json:"coldBytes"` // sent for the cold query, headers included
	Requests int      `json:"coldRequests"`
	ColdMs   float64  `json:"coldMs"` // from the call to the top results, nothing loaded yet
	WarmMs   float64  `json:"warmMs"` // the same query again, what it needs already loaded (median)
	// EngineColdMs and EngineWarmMs are the engine's own figures, -1 when
	// it reports none.
	EngineColdMs float64    `json:"engineColdMs"`
	EngineWarmMs float64    `json:"engineWarmMs"`
	Resources    []resource `json:"resources,omitempty"`
	Err          string     `json:"error,omitempty"`
}

// resource is one response: its path and body bytes.
type resource struct {
	URL   string `json:"url"`
	Bytes int64  `json:"bytes"`
}

// jsResult is what an engine's script returns.
type jsResult struct {
	IDs      []string `json:"ids"`
	Total    int      `json:"total"`
	Ms       float64  `json:"ms"`
	EngineMs *float64 `json:"engineMs"`
}

// measure runs one query cold, in a new browser context (its own empty
// cache) on a blank page of the site's origin, then warm times more in
// the same page.
func measure(parent context.Context, e *engine, srv *site, q *query, warm int) *result {
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	defer cancel()
	res := &result{Query: q, EngineColdMs: -1, EngineWarmMs: -1}
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
			return err
		}),
		chromedp.Navigate(srv.URL+blankPath))
	if err != nil {
		res.Err = err.Error()
		return res
	}
	before := srv.reset()
	cold, err := evaluate(ctx, e, q)
	res.Resources = srv.settle(200*time.Millisecond, 5*time.Second)
	res.Bytes, res.Requests = srv.sent.Load()-before, len(res.Resources)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.Top, res.Total, res.ColdMs = ids(cold.IDs), cold.Total, cold.Ms
	if cold.EngineMs != nil {
		res.EngineColdMs = *cold.EngineMs
	}
	res.WarmMs, res.EngineWarmMs, err = warmRuns(ctx, e, q, warm)
	if err != nil {
		res.Err = err.Error()
	}
	return res
}

// warmRuns repeats the query n times in the loaded page and returns the
// median of the page's and of the engine's milliseconds.
func warmRuns(ctx context.Context, e *engine, q *query, n int) (float64, float64, error) {
	var ms, ems []float64
	for range n {
		r, err := evaluate(ctx, e, q)
		if err != nil {
			return 0, -1, err
		}
		ms = append(ms, r.Ms)
		if r.EngineMs != nil {
			ems = append(ems, *r.EngineMs)
		}
	}
	if len(ems) == 0 {
		return median(ms), -1, nil
	}
	return median(ms), median(ems), nil
}

func evaluate(ctx context.Context, e *engine, q *query) (*jsResult, error) {
	var filters any
	if len(q.Filters) > 0 {
		filters = q.Filters
	}
	f, _ := json.Marshal(filters)
	expr := "(" + e.script + ")(" + jsString(q.Text) + ", " + string(f) + ", 5)"
	tctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return chromedp.Run(tctx, chromedp.Evaluate[*jsResult](expr, chromedp.EvalAwaitPromise))
}

// screenshot saves a full-page PNG of a page of the site.
func screenshot(parent context.Context, url, file string) error {
	ctx, cancel := chromedp.NewContext(parent)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(url)); err != nil {
		return err
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(file, png, 0o644)
}

var idPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+$`)

// idOf turns a result (an incident ID, or the URL of its page, such as
// /incidents/2024-01-01-x/ or incidents/2024-01-01-x/index.html) into the
// incident's ID.
func idOf(s string) string {
	if idPattern.MatchString(s) {
		return s
	}
	s, _, _ = strings.Cut(s, "#")
	s, _, _ = strings.Cut(s, "?")
	segs := slices.DeleteFunc(strings.Split(s, "/"), func(p string) bool { return p == "" || p == "index.html" })
	if len(segs) == 0 {
		return s
	}
	return strings.TrimSuffix(path.Base(segs[len(segs)-1]), ".html")
}

func ids(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = idOf(x)
	}
	return out
}
