package cli

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/watch"
	"github.com/sev-dev/sev/internal/webhook"
	wsp "github.com/sev-dev/sev/internal/workspace"
)

type watchOptions struct {
	rulesEvery time.Duration
	once       bool
	interval   time.Duration
	siteURL    string
	by         string
	listen     string
	publicURL  string
}

func (a *app) watchCmd() *cobra.Command {
	var o watchOptions
	c := &cobra.Command{
		Use:   "watch",
		Short: "Run escalation policies: notify whoever is due, claim each notification by pushing its receipt first",
		Long: `watch runs the clock of escalation policies (escalations/*.yaml). Each round
it starts from the remote's tip, works out which notifications every active
incident owes, commits their receipts (notify entries) and pushes them, and
only then delivers them through the channels of sev.yaml. A push that loses
a race claims nothing: the round starts again from the other process's
state, so two watchers never send the same notification. Run it in a clone
of its own: it resets its branch to the remote's at every round.

--once runs one round and exits (the scheduled workflow's way); otherwise
rounds run every --interval, or sooner when a step falls due. The rules run
every --rules-every for their timed triggers (comments, labels, reviewers
and issues are left to the workflows). With --listen it also receives
Alertmanager and Grafana webhooks at /alerts (sev.yaml's alerts) and, with
--public-url and SEV_ACK_SECRET, serves the acknowledge links of its
notifications at /ack/; SEV_ACK_SECRET also signs the reply addresses of
emails, whose replies it reads over IMAP (docs/notify.md).`,
		Example: "  sev watch --once\n  sev watch --interval 30s --site-url https://example.github.io/incidents/",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runWatch(o) },
	}
	c.Flags().BoolVar(&o.once, "once", false, "run one round and exit")
	c.Flags().DurationVar(&o.rulesEvery, "rules-every", 5*time.Minute, "run the rules (their timed triggers) this often; what needs GitHub is left to the workflows; 0: never")
	c.Flags().DurationVar(&o.interval, "interval", 20*time.Second, "the longest wait between rounds (a new escalation is noticed within it)")
	c.Flags().StringVar(&o.siteURL, "site-url", "", "where the library is served, for links in notifications")
	c.Flags().StringVar(&o.by, "by", "sev", "the handle receipts are recorded by")
	c.Flags().StringVar(&o.listen, "listen", "", "serve alert webhooks (/alerts) and acknowledge links (/ack/) on this address, e.g. 127.0.0.1:8080, behind your TLS proxy")
	c.Flags().StringVar(&o.publicURL, "public-url", "", "where people reach --listen, for the acknowledge links in notifications (signed with $SEV_ACK_SECRET)")
	return c
}

func (a *app) runWatch(o watchOptions) error {
	if o.interval < time.Second {
		return &usageError{msg: "--interval must be at least 1s"}
	}
	first, err := a.open()
	if err != nil {
		return err
	}
	repo, err := first.Repo()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	wo := watch.Options{
		Open:   func() (*wsp.Workspace, error) { return a.open() },
		Remote: repo.RemoteURL(first.Settings.Remote) != "", Now: a.now, Cache: watch.NewCache(), RulesEvery: o.rulesEvery, By: o.by, SiteURL: o.siteURL, Log: a.stderr,
		Getenv: a.getenv,
		Sender: func(s *config.Settings) *notify.Sender {
			var secret []byte
			if v := a.getenv("SEV_ACK_SECRET"); len(v) >= watch.MinAckSecret {
				secret = []byte(v)
			}
			return notify.NewSender(s, notify.Options{Lookup: func(k string) (string, bool) { v := a.getenv(k); return v, v != "" }, ReplySecret: secret,
				HTTP:         webhook.New(webhook.Options{AllowPrivate: a.getenv("SEV_WEBHOOKS_ALLOW_PRIVATE") == "1", AllowHTTP: a.getenv("SEV_WEBHOOKS_ALLOW_HTTP") == "1"}),
				AllowPrivate: a.getenv("SEV_WEBHOOKS_ALLOW_PRIVATE") == "1"})
		},
	}
	if v := a.getenv("SEV_ACK_SECRET"); len(v) >= watch.MinAckSecret {
		wo.ReplySecret = []byte(v) // signs reply addresses too
	}
	var mu sync.Mutex // rounds, acknowledgements and alerts take turns in the clone
	mux := http.NewServeMux()
	if o.publicURL != "" {
		secret := a.getenv("SEV_ACK_SECRET")
		if len(secret) < watch.MinAckSecret {
			return usagef("acknowledge links (--public-url) are signed with SEV_ACK_SECRET: set it to at least %d random bytes", watch.MinAckSecret)
		}
		links := &watch.AckLinks{Secret: []byte(secret), Base: o.publicURL, Now: a.now}
		wo.AckURL = links.URL
		mux.Handle("/ack/", &watch.AckServer{Links: links, Ack: func(inc, person string) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			return watch.Acknowledge(wo, inc, person)
		}})
	}
	if o.listen != "" {
		mux.Handle("/alerts", &watch.AlertServer{Options: wo, Lock: &mu, Getenv: a.getenv})
		srv := &http.Server{Addr: o.listen, ReadHeaderTimeout: 10 * time.Second, Handler: mux}
		ln, err := net.Listen("tcp", o.listen)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "sev watch: listening on http://%s (/alerts%s)\n", ln.Addr(), map[bool]string{true: ", /ack/…"}[o.publicURL != ""])
		go srv.Serve(ln)
		defer srv.Close()
	}
	for {
		mu.Lock()
		res, err := watch.Round(ctx, wo)
		mu.Unlock()
		if err != nil {
			if o.once || ctx.Err() != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "sev watch: %v; trying again in %s\n", err, o.interval)
		} else if o.once || res.Claimed > 0 {
			fmt.Fprintf(a.stdout, "claimed %d, sent %d, failed %d%s\n", res.Claimed, res.Sent, res.Failed, nextText(res.Next))
		}
		if o.once {
			if res.Failed > 0 {
				return fmt.Errorf("%d notification(s) could not be delivered; their receipts say why", res.Failed)
			}
			return nil
		}
		wait := o.interval
		if !res.Next.IsZero() {
			if d := res.Next.Sub(a.now()); d < wait {
				wait = max(d, time.Second)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

func nextText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "; next step due " + t.UTC().Format(time.RFC3339)
}
