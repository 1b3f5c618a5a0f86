package config

import (
	"strings"
	"testing"
)

func TestNotifyChecks(t *testing.T) {
	good := `people:
  - handle: alice
    email: alice@example.com
    contacts:
      ntfy: alice-oncall-7f3a
      slack: U012AB3CD
      discord: "112233445566778899"
      google-chat: users/123456789
      teams: 2c3a1d4e-5f60-4718-9a0b-c1d2e3f40516
      pagerduty: PABC123
      opsgenie: alice@example.com
      phone: "+4915112345678"
notify:
  channels:
    - {name: pd, type: pagerduty, key-env: PD_ROUTING_KEY}
    - {name: og, type: opsgenie, key-env: OPSGENIE_KEY, region: eu}
    - {name: ops, type: slack, url-env: SLACK_OPS}
    - {name: teams, type: teams, url-env: TEAMS_OPS}
    - {name: discord, type: discord, url-env: DISCORD_OPS}
    - {name: chat, type: google-chat, url-env: CHAT_OPS}
    - {name: phones, type: ntfy, url: "https://ntfy.example.com", key-env: NTFY_TOKEN}
    - {name: mail, type: email, smtp: "smtp.example.com:587", from: sev@example.com, to: [ops@example.com], username-env: SMTP_USER, password-env: SMTP_PASSWORD}
    - {name: hook, type: webhook, url: "https://hooks.example.com/sev", secret-env: HOOK_SECRET}
`
	s, diags := Parse(File, []byte(good))
	if len(diags) != 0 {
		t.Fatalf("good settings: %v", diags)
	}
	if c := s.Channel("phones"); c == nil || c.Type != ChannelNtfy || s.People[0].Contacts.Slack != "U012AB3CD" {
		t.Errorf("parsed: %+v %+v", c, s.People[0].Contacts)
	}
	bad := `people:
  - handle: bob
    contacts:
      ntfy: "bob topic"
      slack: bob
      phone: "0151 1234"
      pager: x
notify:
  channels:
    - {name: pd, type: pagerduty, key-env: "pd key", url-env: X}
    - {name: og, type: opsgenee, key-env: K}
    - {name: mail, type: email, smtp: "smtp.example.com", from: "Sev <sev@example.com>"}
    - {name: hook, type: webhook, url: "https://user:pw@hooks.example.com/x?token=1", url-env: H, secret-env: S}
    - {name: pd, type: slack}
`
	_, diags = Parse(File, []byte(bad))
	var sb strings.Builder
	diags.WriteText(&sb)
	got := sb.String()
	for _, want := range []string{
		`sev.yaml:4:13: "bob topic" is not an ntfy topic`,
		`sev.yaml:5:14: "bob" is not a Slack member ID`,
		`sev.yaml:6:14: "0151 1234" is not a phone number in E.164 form`,
		`sev.yaml:7:7: unknown field "pager"`,
		`sev.yaml:10:44: "pd key" is not an environment variable name`,
		`sev.yaml:10:63: a pagerduty channel has no url-env`,
		`sev.yaml:11:24: unknown channel type "opsgenee"; did you mean "opsgenie"?`,
		`sev.yaml:12:39: smtp must be host:port`,
		`sev.yaml:12:65: "Sev <sev@example.com>" is not an email address`,
		`sev.yaml:13:40: url must be an absolute http(s) URL without credentials or query`,
		`sev.yaml:13:7: a webhook channel needs exactly one of url and url-env`,
		`"pd" is listed twice in notify.channels`,
		`sev.yaml:14:7: a slack channel needs url-env`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
