package watch_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/watch"
	"github.com/sev-dev/sev/internal/workspace"
)

// BenchmarkIdleRound is one round of a long-running sev watch with
// nothing due, on SEV_BENCH_REPO (a generated repository, not changed):
// with the cache, the first round reads every incident and later ones
// only the active and the changed.
//
//	SEV_BENCH_REPO=/tmp/gen10k go test -run XXX -bench IdleRound -benchmem ./internal/watch
func BenchmarkIdleRound(b *testing.B) {
	repo := os.Getenv("SEV_BENCH_REPO")
	if repo == "" {
		b.Skip("set SEV_BENCH_REPO to a generated repository")
	}
	for _, cached := range []bool{false, true} {
		name := "every-incident"
		o := watch.Options{
			Open:   func() (*workspace.Workspace, error) { return workspace.Open(repo) },
			Now:    time.Now,
			Sender: func(s *config.Settings) *notify.Sender { return notify.NewSender(s, notify.Options{}) },
		}
		if cached {
			name, o.Cache = "cached", watch.NewCache()
			if _, err := watch.Round(context.Background(), o); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := watch.Round(context.Background(), o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
