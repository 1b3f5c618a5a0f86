package ghsetup

import (
	"testing"

	"github.com/sev-dev/sev/internal/ghapi"
)

func TestPagesURL(t *testing.T) {
	for _, c := range []struct {
		owner, name, want string
	}{
		{"Northwind", "incidents", "https://northwind.github.io/incidents/"},
		{"acme", "acme.github.io", "https://acme.github.io/"},
		{"ACME", "Acme.GitHub.io", "https://acme.github.io/"},
		{"acme", "Status-Page", "https://acme.github.io/Status-Page/"},
	} {
		if got := PagesURL(ghapi.Repo{Owner: c.owner, Name: c.name}); got != c.want {
			t.Errorf("PagesURL(%s/%s) = %s, want %s", c.owner, c.name, got, c.want)
		}
	}
}
