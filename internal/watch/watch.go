// Package watch runs the clock of sev's response layer: each round it
// starts from the remote's tip, plans the notifications every active
// incident owes (package respond), claims them by pushing their receipts
// — a push that fails because the remote moved claims nothing, and the
// round starts again from the new tip, where the other process's
// receipts are visible — and only then delivers them (package notify). A
// delivery that fails is recorded as a note that corrects its receipt.
// Two watchers on one remote therefore never send the same notification
// twice, and a watcher killed between the claim and the delivery loses
// that one notification rather than sending it twice.
package watch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/automation"
	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/respond"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/txn"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workspace"
)

// Options configure a round.
type Options struct {
	// Open opens the repository afresh (settings, rotations and policies
	// may have changed since the last round).
	Open func() (*workspace.Workspace, error)
	// Remote is whether the repository has a remote to pull from and
	// claim on; without one the round works on the local branch alone.
	Remote bool
	// Now is the clock.
	Now func() time.Time
	// Sender delivers for the round's settings.
	Sender func(s *config.Settings) *notify.Sender
	// By is the handle receipts are written by; default "sev".
	By string
	// SiteURL is where the library is served, for links in messages.
	SiteURL string
	// AckURL makes acknowledge links (AckLinks.URL); nil for none.
	AckURL func(incident, person string) string
	// Log receives a line per notification and problem.
	Log io.Writer
	// Attempts bounds the rounds restarted by a lost claim; default 5.
	Attempts int
	// Instance names this watcher in the receipts it claims; default a
	// random name per process. Two watchers must never claim with the same
	// bytes: their commits would be identical, and both pushes "succeed".
	Instance string
	// BeforeClaim, when set, runs after the receipts are committed and
	// before they are pushed (tests use it to lose the race on purpose).
	BeforeClaim func()
	// ReplySecret signs reply addresses and checks replies (email); Getenv
	// reads the IMAP credentials.
	ReplySecret []byte
	Getenv      func(string) string
	// RulesEvery runs the rules (their timed triggers: unacknowledged-for,
	// no-update-for, ...) at most this often, leaving what needs GitHub's
	// API to the workflows; 0 never. It needs a Cache, which remembers the
	// last run.
	RulesEvery time.Duration
	// Cache, when set, is kept across rounds so that a round reads only
	// active incidents and those that changed.
	Cache *Cache
	// AfterClaim, when set, runs after the receipts are pushed and before
	// anything is delivered (tests stop a watcher there).
	AfterClaim func()
}

// Result is what a round did.
type Result struct {
	Claimed, Sent, Failed int
	// Next is when the earliest scheduled step is due (zero: none).
	Next     time.Time
	Problems []respond.Problem
}

// Round runs one round.
func Round(ctx context.Context, o Options) (Result, error) {
	if o.By == "" {
		o.By = "sev"
	}
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.Instance == "" {
		o.Instance = instance
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	for attempt := 1; ; attempt++ {
		res, err := round(ctx, o)
		if !errors.Is(err, txn.ErrClaimLost) || attempt >= o.Attempts {
			return res, err
		}
		fmt.Fprintf(o.Log, "sev watch: another process pushed first; planning again from its state\n")
	}
}

type planned struct {
	incident   string
	restricted bool
	sends      []respond.Send
}

func round(ctx context.Context, o Options) (Result, error) {
	var res Result
	ws, err := o.Open()
	if err != nil {
		return res, err
	}
	st, err := ws.Store()
	if err != nil {
		return res, err
	}
	if o.Remote {
		if _, err := st.Reset(); err != nil {
			return res, fmt.Errorf("sync with the remote: %w", err)
		}
		if ws, err = o.Open(); err != nil { // the files changed under it
			return res, err
		}
		if st, err = ws.Store(); err != nil {
			return res, err
		}
	}
	rules(ctx, ws, o, o.Now())
	var persist func() error
	if o.Remote {
		persist = st.Push
	}
	if _, err := readReplies(ws, o, o.Now(), persist); err != nil {
		fmt.Fprintf(o.Log, "sev watch: %v\n", err)
	}
	s := ws.Settings
	rots, _ := ws.Rotations()
	pols, _ := validate.Escalations(ws.FS, s)
	env := &respond.Env{Settings: s, Policies: pols, Rotations: rots, SiteURL: o.SiteURL, By: o.By, AckURL: o.AckURL}
	now := o.Now()
	var incs []*validate.Incident
	if o.Cache != nil {
		incs = o.Cache.incidents(ws, now)
	} else {
		incs, _ = validate.LoadAll(ws.FS, s)
	}
	var plan []planned
	for _, inc := range incs {
		sends, next, problems := env.Plan(inc.Record, inc.Entries, now)
		res.Problems = append(res.Problems, problems...)
		if !next.IsZero() && (res.Next.IsZero() || next.Before(res.Next)) {
			res.Next = next
		}
		if len(sends) > 0 {
			plan = append(plan, planned{inc.Record.ID, inc.Record.EffectiveVisibility() == "restricted", sends})
		}
	}
	for _, p := range res.Problems {
		if o.Cache == nil || o.Cache.firstTime(p.Incident+": "+p.Msg) {
			fmt.Fprintf(o.Log, "sev watch: %s: %s\n", p.Incident, p.Msg)
		}
	}
	if len(plan) == 0 {
		return res, nil
	}
	sort.Slice(plan, func(i, j int) bool { return plan[i].incident < plan[j].incident })
	me, err := ws.Whoami(o.By)
	if err != nil {
		return res, err
	}
	// claim: the receipts, committed and pushed before anything is sent
	for _, p := range plan {
		var entries []timeline.Entry
		for _, snd := range p.sends {
			e := snd.Receipt
			e.Recorded = now
			e.Text += "; claimed by watcher " + o.Instance
			entries = append(entries, e)
		}
		ch := &change.Change{Incident: p.incident, Entries: entries}
		if _, err := ws.Commit(ch, me, workspace.Write{Fingerprint: "watch " + entries[0].ID, Again: true}, p.restricted); err != nil {
			return res, fmt.Errorf("record the receipts of %s: %w", p.incident, err)
		}
		res.Claimed += len(entries)
	}
	if o.BeforeClaim != nil {
		o.BeforeClaim()
	}
	if o.Remote {
		if err := st.PushClaim(); err != nil {
			return Result{}, err
		}
	}
	if o.AfterClaim != nil {
		o.AfterClaim()
	}
	// deliver, then record what failed
	sender := o.Sender(s)
	var failed []planned
	for _, p := range plan {
		var ds []notify.Delivery
		for _, snd := range p.sends {
			ds = append(ds, snd.Delivery)
		}
		var notes []respond.Send
		for i, r := range sender.Send(ctx, ds) {
			rc := p.sends[i].Receipt
			who := rc.Value
			if rc.Person != "" {
				who = rc.Person + " via " + rc.Value
			}
			if r.Err != nil {
				res.Failed++
				fmt.Fprintf(o.Log, "sev watch: %s: %s (%s) failed: %v\n", p.incident, who, rc.Field, r.Err)
				notes = append(notes, respond.Send{Receipt: timeline.Entry{ID: "f-" + strings.TrimPrefix(rc.ID, "n-"), At: now, By: o.By,
					Type: timeline.Note, Corrects: rc.ID, Text: "not delivered: " + oneLine(r.Err.Error())}})
				continue
			}
			res.Sent++
			fmt.Fprintf(o.Log, "sev watch: %s: %s (%s) sent\n", p.incident, who, rc.Field)
		}
		if len(notes) > 0 {
			failed = append(failed, planned{p.incident, p.restricted, notes})
		}
	}
	for _, p := range failed {
		var entries []timeline.Entry
		for _, n := range p.sends {
			entries = append(entries, n.Receipt)
		}
		ch := &change.Change{Incident: p.incident, Entries: entries}
		if _, err := ws.Commit(ch, me, workspace.Write{Fingerprint: "watch " + entries[0].ID, Again: true, Push: o.Remote}, p.restricted); err != nil {
			return res, fmt.Errorf("record the failed deliveries of %s: %w", p.incident, err)
		}
	}
	return res, nil
}

// rules runs the rules when RulesEvery has passed since the last run:
// what time changed (the timed triggers) is acted on, the actions that
// need GitHub are left to the workflows. Its failures are logged, not
// returned: the escalations must go on.
func rules(ctx context.Context, ws *workspace.Workspace, o Options, now time.Time) {
	if o.RulesEvery <= 0 || o.Cache == nil || (!o.Cache.lastRules.IsZero() && now.Sub(o.Cache.lastRules) < o.RulesEvery) {
		return
	}
	o.Cache.lastRules = now
	err := automation.Apply(ctx, ws, automation.Options{Push: o.Remote, SiteURL: o.SiteURL, Getenv: o.Getenv,
		Out: o.Log, Err: o.Log, LeaveGitHub: true})
	if err != nil {
		fmt.Fprintf(o.Log, "sev watch: rules: %v\n", err)
	}
}

// instance is this process's name for its claims.
var instance = func() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}()

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
