package txn

import (
	"errors"

	"github.com/sev-dev/sev/internal/gitstore"
)

// ErrClaimLost is a claim push the remote rejected: someone else pushed
// first, and what they pushed may hold the same claims.
var ErrClaimLost = errors.New("the remote moved before the claim landed")

// Reset makes the current branch, its working tree and index the
// remote's tip, dropping local commits the remote does not have: a
// process that keeps a clone of its own (sev watch) starts every round
// from what everyone agreed on. With no remote branch yet, nothing
// changes. It returns the tip.
func (s *Store) Reset() (gitstore.Hash, error) {
	unlock, err := s.lock()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	defer unlock()
	branch, head, err := s.git.Head()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	tip, err := s.git.Fetch(s.ctx, s.settings.Remote, branch)
	if err != nil || tip.IsZero() || tip == head {
		return head, err
	}
	if err := s.git.Sync(head, tip, "", s.locker()); err != nil {
		return gitstore.ZeroHash, err
	}
	if err := s.git.UpdateRef(branch, head, tip, s.signatureNow(), "sev watch: reset to "+Short(tip), s.locker()); err != nil {
		if serr := s.git.Sync(tip, head, "", s.locker()); serr != nil {
			return gitstore.ZeroHash, errors.Join(err, serr)
		}
		return gitstore.ZeroHash, err
	}
	return tip, nil
}

// PushClaim pushes the current branch once, without re-applying anything
// on a remote that moved: a compare-and-swap. Commits that record claims
// (receipts written before a notification is sent) land only on top of
// the state they were planned from; ErrClaimLost means start again from
// Reset, where the other process's receipts are visible.
func (s *Store) PushClaim() error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	branch, _, err := s.git.Head()
	if err != nil {
		return err
	}
	err = s.git.Push(s.ctx, s.settings.Remote, branch)
	if errors.Is(err, gitstore.ErrRejected) {
		return ErrClaimLost
	}
	if nr := explainNoRemote(err); nr != nil {
		return nr
	}
	return err
}
