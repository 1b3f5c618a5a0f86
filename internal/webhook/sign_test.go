package webhook

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSignKnownValue(t *testing.T) {
	// Computed independently: printf 'id1.1700000000.{}' | openssl dgst -sha256 -hmac key
	const want = "sha256=3182c7b4932e5e4fac4defe1a3bd836a19d1908ff74fea131785594737fef64f"
	if got := Sign("key", "id1", 1700000000, []byte("{}")); got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"id":"abc"}`)
	ts := fixedNow.Unix()
	tsText := strconv.FormatInt(ts, 10)
	sig := Sign(testSecret, "abc", ts, body)
	if err := Verify(testSecret, "abc", tsText, body, sig, fixedNow.Add(time.Minute), 0); err != nil {
		t.Fatalf("valid request rejected: %v", err)
	}
	for _, tc := range []struct {
		name           string
		secret, id, ts string
		body           string
		sig            string
		now            time.Time
		want           error
		tolerance      time.Duration
	}{
		{"other secret", "another-secret-0123456789", "abc", tsText, string(body), sig, fixedNow, ErrSignature, 0},
		{"other body", testSecret, "abc", tsText, `{"id":"abd"}`, sig, fixedNow, ErrSignature, 0},
		{"other id", testSecret, "abd", tsText, string(body), sig, fixedNow, ErrSignature, 0},
		{"other time", testSecret, "abc", strconv.FormatInt(ts+1, 10), string(body), sig, fixedNow, ErrSignature, 0},
		{"no prefix", testSecret, "abc", tsText, string(body), strings.TrimPrefix(sig, "sha256="), fixedNow, ErrSignature, 0},
		{"short", testSecret, "abc", tsText, string(body), sig[:20], fixedNow, ErrSignature, 0},
		{"not hex", testSecret, "abc", tsText, string(body), "sha256=" + strings.Repeat("z", 64), fixedNow, ErrSignature, 0},
		{"upper-case prefix", testSecret, "abc", tsText, string(body), "SHA256=" + sig[7:], fixedNow, ErrSignature, 0},
		{"empty", testSecret, "abc", tsText, string(body), "", fixedNow, ErrSignature, 0},
		{"stale", testSecret, "abc", tsText, string(body), sig, fixedNow.Add(6 * time.Minute), ErrTimestamp, 0},
		{"future", testSecret, "abc", tsText, string(body), sig, fixedNow.Add(-6 * time.Minute), ErrTimestamp, 0},
		{"custom tolerance", testSecret, "abc", tsText, string(body), sig, fixedNow.Add(2 * time.Second), ErrTimestamp, time.Second},
		{"signed ts", testSecret, "abc", "+" + tsText, string(body), sig, fixedNow, ErrTimestamp, 0},
		{"leading zero", testSecret, "abc", "0" + tsText, string(body), sig, fixedNow, ErrTimestamp, 0},
		{"milliseconds", testSecret, "abc", tsText + "000", string(body), sig, fixedNow, ErrTimestamp, 0},
		{"no ts", testSecret, "abc", "", string(body), sig, fixedNow, ErrTimestamp, 0},
	} {
		err := Verify(tc.secret, tc.id, tc.ts, []byte(tc.body), tc.sig, tc.now, tc.tolerance)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestVerifyFieldShift: moving bytes between the id, the timestamp and
// the body keeps the signed string but is rejected, because ids cannot
// contain the separator.
func TestVerifyFieldShift(t *testing.T) {
	ts := fixedNow.Unix()
	tsText := strconv.FormatInt(ts, 10)
	sig := Sign(testSecret, "a", ts, []byte("1.{}"))
	// id "a", ts T, body "1.{}" and id "a.T", ts "1", body "{}" sign the
	// same string "a.T.1.{}"; the clock makes ts 1 current.
	err := Verify(testSecret, "a."+tsText, "1", []byte("{}"), sig, time.Unix(1, 0), 0)
	if !errors.Is(err, ErrSignature) {
		t.Errorf("a re-split of the signed string: Verify = %v, want ErrSignature", err)
	}
}
