package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The request headers.
const (
	// HeaderDelivery carries the event id, the same in every attempt.
	HeaderDelivery = "X-Sev-Delivery"
	// HeaderTimestamp carries the attempt's time in Unix seconds.
	HeaderTimestamp = "X-Sev-Timestamp"
	// HeaderSignature carries "sha256=" and the hex HMAC-SHA256.
	HeaderSignature = "X-Sev-Signature"
	// UserAgent is the User-Agent of every request.
	UserAgent = "sev-webhook/1"
)

// DefaultTolerance is how far a timestamp may be from the receiver's clock
// when Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

const sigPrefix = "sha256="

// Verify's failures.
var (
	// ErrSignature: the signature is missing, malformed or does not match.
	ErrSignature = errors.New("webhook signature does not match")
	// ErrTimestamp: the timestamp is malformed or outside the tolerance.
	ErrTimestamp = errors.New("webhook timestamp is not acceptable")
)

// Sign returns the X-Sev-Signature value for a request: "sha256=" and the
// lowercase hex HMAC-SHA256, keyed by secret, of id + "." + ts + "." + body,
// where ts is the decimal Unix time of X-Sev-Timestamp.
func Sign(secret, id string, ts int64, body []byte) string {
	return sigPrefix + hex.EncodeToString(mac(secret, id, strconv.FormatInt(ts, 10), body))
}

func mac(secret, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a received webhook: id, ts and sig are the X-Sev-Delivery,
// X-Sev-Timestamp and X-Sev-Signature headers and body the raw request
// body. It fails with ErrTimestamp when ts is not decimal seconds within
// tolerance of now (DefaultTolerance when tolerance <= 0), which stops
// replays of old requests, and with ErrSignature when sig was not made with
// secret over exactly these bytes. Receivers should also remember recent ids
// to drop retries they already handled.
func Verify(secret, id, ts string, body []byte, sig string, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if err := checkID(id); err != nil {
		return fmt.Errorf("%w: %v", ErrSignature, err)
	}
	sec, err := parseTimestamp(ts)
	if err != nil {
		return err
	}
	if skew := now.Sub(time.Unix(sec, 0)).Abs(); skew > tolerance {
		return fmt.Errorf("%w: %s is %s from now, more than the %s allowed", ErrTimestamp, ts, skew.Round(time.Second), tolerance)
	}
	hexSig, ok := strings.CutPrefix(sig, sigPrefix)
	if !ok {
		return fmt.Errorf("%w: the signature does not start with %q", ErrSignature, sigPrefix)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return fmt.Errorf("%w: the signature is not %d hex digits", ErrSignature, 2*sha256.Size)
	}
	if !hmac.Equal(got, mac(secret, id, ts, body)) {
		return ErrSignature
	}
	return nil
}

// parseTimestamp reads decimal Unix seconds, digits only, so the signed
// string has exactly one spelling of a time.
func parseTimestamp(ts string) (int64, error) {
	if ts == "" || len(ts) > 12 || strings.Trim(ts, "0123456789") != "" || (len(ts) > 1 && ts[0] == '0') {
		return 0, fmt.Errorf("%w: %q is not decimal Unix seconds", ErrTimestamp, ts)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not decimal Unix seconds", ErrTimestamp, ts)
	}
	return sec, nil
}
