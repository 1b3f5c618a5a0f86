package webhook

import (
	"errors"
	"net/netip"
	"syscall"
)

// addrError is an address the policy refuses to connect to.
type addrError struct {
	addr netip.Addr
	kind string
}

func (e *addrError) Error() string {
	if !e.addr.IsValid() {
		return "refused to connect to " + e.kind + " address"
	}
	return "refused to connect to " + e.addr.String() + ", " + e.kind + " address"
}

// reserved are the ranges refused beyond what netip.Addr's predicates name.
var reserved = []struct {
	prefix netip.Prefix
	kind   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), `a "this network"`},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (CGNAT)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved or broadcast"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local"},
}

// nat64 is the well-known NAT64 prefix: its addresses reach the IPv4
// address in their last four bytes.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// checkAddr returns an *addrError when a is not a public unicast address.
func checkAddr(a netip.Addr) error {
	a = a.Unmap()
	if nat64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte(b[12:]))
	}
	if kind := addrKind(a); kind != "" {
		return &addrError{addr: a, kind: kind}
	}
	return nil
}

func addrKind(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "an invalid"
	case a.IsUnspecified():
		return "an unspecified"
	case a.IsLoopback():
		return "a loopback"
	case a.IsPrivate():
		return "a private"
	case a.IsLinkLocalUnicast():
		return "a link-local"
	case a.IsMulticast():
		return "a multicast"
	}
	for _, r := range reserved {
		if r.prefix.Contains(a) {
			return r.kind
		}
	}
	return ""
}

// dialControl is the net.Dialer Control hook that enforces the policy on
// the address actually being connected, after DNS resolution.
func dialControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &addrError{kind: "an unparseable"}
	}
	return checkAddr(ap.Addr())
}

// DialControl is the same check for other clients (SMTP): a net.Dialer
// Control hook that refuses loopback, private and the other non-public
// addresses, after DNS resolution.
func DialControl(network, address string, c syscall.RawConn) error {
	return dialControl(network, address, c)
}

// Refused reports whether err is a connection the address policy refused
// (DialControl): it will be refused again, so it is not retried.
func Refused(err error) bool {
	var a *addrError
	return errors.As(err, &a)
}
