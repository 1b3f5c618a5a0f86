package webhook

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const slackURL = "https://hooks.slack.example/services/T0001/B0002/XXXXsecretTOKENxxxx"

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func TestResolve(t *testing.T) {
	lookup := env(map[string]string{"SLACK_URL": slackURL + "\n", "HOOK_SECRET": testSecret, "EMPTY": "", "SHORT": "tooshort"})
	got, err := Ref{Name: "chat", URLEnv: "SLACK_URL", Format: FormatSlack}.Resolve(lookup)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != slackURL || got.Secret != "" || got.Format != FormatSlack {
		t.Errorf("slack target = URL ok %v, secret set %v, format %q", got.URL == slackURL, got.Secret != "", got.Format)
	}
	got, err = Ref{Name: "siem", URL: "https://siem.example.com/in", SecretEnv: "HOOK_SECRET"}.Resolve(lookup)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Secret) != testSecret || got.format() != FormatJSON || got.SecretEnv != "HOOK_SECRET" {
		t.Errorf("json target: secret ok %v, format %q", string(got.Secret) == testSecret, got.format())
	}
}

// TestResolveErrors: each mistake is named with the variable and the
// webhook, and no error shows a variable's value.
func TestResolveErrors(t *testing.T) {
	lookup := env(map[string]string{"SLACK_URL": slackURL, "BAD_URL": "hooks slack example/" + "XXXXsecretTOKENxxxx",
		"FTP_URL": "ftp://files.example/XXXXsecretTOKENxxxx", "HOOK_SECRET": testSecret, "EMPTY": "", "SHORT": "tooshort"})
	for _, tc := range []struct {
		ref  Ref
		want string
	}{
		{Ref{URL: slackURL}, "needs a name"},
		{Ref{Name: "x"}, "exactly one of url and url-env"},
		{Ref{Name: "x", URL: "https://a.example", URLEnv: "SLACK_URL"}, "exactly one of url and url-env"},
		{Ref{Name: "x", URLEnv: "MISSING", Format: FormatSlack}, "environment variable MISSING (the URL) is not set"},
		{Ref{Name: "x", URLEnv: "EMPTY", Format: FormatSlack}, "environment variable EMPTY (the URL) is empty"},
		{Ref{Name: "x", URLEnv: "lower-case", Format: FormatSlack}, `"lower-case" is not an environment variable name`},
		{Ref{Name: "x", URLEnv: "SLACK_URL"}, "so it needs a secret; name the variable holding it (secret-env)"},
		{Ref{Name: "x", URLEnv: "SLACK_URL", SecretEnv: "NOPE"}, "environment variable NOPE (the signing secret) is not set"},
		{Ref{Name: "x", URLEnv: "SLACK_URL", SecretEnv: "SHORT"}, "signing secret in $SHORT is shorter than 16 bytes"},
		{Ref{Name: "x", URLEnv: "BAD_URL", Format: FormatSlack}, "the URL in $BAD_URL is not an absolute URL"},
		{Ref{Name: "x", URLEnv: "FTP_URL", Format: FormatSlack}, "the URL in $FTP_URL is not http:// or https://"},
		{Ref{Name: "x", URLEnv: "SLACK_URL", Format: "xml"}, `unknown format "xml"; use json or slack`},
	} {
		_, err := tc.ref.Resolve(lookup)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want it to contain %q", tc.ref, err, tc.want)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v is not ErrInvalid", tc.ref, err)
		}
		for _, leak := range []string{"XXXXsecretTOKENxxxx", testSecret, "tooshort", "hooks.slack.example"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("error shows a value: %v", err)
			}
		}
	}
}

func TestTargetLabel(t *testing.T) {
	for _, tc := range []struct {
		t    Target
		want string
	}{
		{Target{Name: "chat", URL: slackURL, URLEnv: "SLACK_URL"}, `webhook "chat" (URL from $SLACK_URL)`},
		{Target{Name: "siem", URL: "https://user:pw@siem.example.com/in?token=abc#f"}, `webhook "siem" (https://siem.example.com/in)`},
		{Target{URL: "::"}, "webhook (invalid URL)"},
	} {
		if got := tc.t.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// TestPrintingHidesSecrets: a Delivery printed with any verb shows
// neither the secret nor a URL from the environment.
func TestPrintingHidesSecrets(t *testing.T) {
	d := Delivery{Target: Target{Name: "chat", URL: slackURL, URLEnv: "SLACK_URL", Secret: testSecret}, Event: fixture()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, d) + fmt.Sprintf(verb, d.Secret) + fmt.Sprintf(verb, &d)
		if strings.Contains(out, testSecret) || strings.Contains(out, "XXXXsecretTOKENxxxx") {
			t.Errorf("%s shows a secret: %s", verb, out)
		}
	}
}

func TestScrub(t *testing.T) {
	tg := Target{URL: slackURL + "?token=querysecret123&x=1", URLEnv: "U", Secret: testSecret}
	in := "post " + tg.URL + " to hooks.slack.example with " + testSecret + ` and "\/services\/T0001\/B0002\/XXXXsecretTOKENxxxx"`
	out := tg.scrub(in)
	for _, leak := range []string{"XXXXsecretTOKENxxxx", "querysecret123", testSecret, "hooks.slack.example", "/services/"} {
		if strings.Contains(out, leak) {
			t.Errorf("scrub left %q: %s", leak, out)
		}
	}
	visible := Target{URL: "https://siem.example.com/in?token=querysecret123"}
	if got := visible.scrub("to https://siem.example.com/in?token=querysecret123"); got != "to https://siem.example.com/in?[redacted]" {
		t.Errorf("scrub of a rule-file URL = %q", got)
	}
}
