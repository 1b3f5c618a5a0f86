package webhook

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	for _, tc := range []struct {
		addr string
		kind string // "" when allowed
	}{
		{"93.184.215.14", ""},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", ""},
		{"100.63.255.255", ""},
		{"100.128.0.0", ""},
		{"127.0.0.1", "loopback"},
		{"127.9.9.9", "loopback"},
		{"::1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.168.1.1", "private"},
		{"fd00::1", "private"},
		{"fc00::1", "private"},
		{"169.254.169.254", "link-local"},
		{"fe80::1", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", "this network"},
		{"100.64.0.1", "CGNAT"},
		{"100.127.255.254", "CGNAT"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"240.0.0.1", "reserved"},
		{"fec0::1", "site-local"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.0.0.1", "private"},
		{"64:ff9b::a9fe:a9fe", "link-local"},
		{"64:ff9b::5db8:d70e", ""},
	} {
		err := checkAddr(netip.MustParseAddr(tc.addr))
		switch {
		case tc.kind == "" && err != nil:
			t.Errorf("%s refused: %v", tc.addr, err)
		case tc.kind != "" && (err == nil || !strings.Contains(err.Error(), tc.kind)):
			t.Errorf("%s: err = %v, want a %s refusal", tc.addr, err, tc.kind)
		}
	}
}

func TestDialControl(t *testing.T) {
	if err := dialControl("tcp4", "93.184.215.14:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
	for _, a := range []string{"127.0.0.1:443", "[::ffff:192.168.0.1]:443", "[fe80::1%eth0]:443", "not-an-address", "localhost:443"} {
		if err := dialControl("tcp", a, nil); err == nil {
			t.Errorf("%s allowed", a)
		}
	}
}
