package rule

import (
	"fmt"
	"strings"

	"github.com/sev-dev/sev/internal/timeline"
)

// Describe says in one line what the action does, for people reading a
// plan (sev rules test, an executor's log). Text written into the
// incident is shown in full on its first line; redact replaces it, for
// restricted incidents shown to people who did not ask for them.
func (a Action) Describe(redact bool) string {
	if a.Skip != "" {
		return a.StepKind + " — skipped: " + a.Skip
	}
	return a.what(redact)
}

func (a Action) what(redact bool) string {
	switch a.Kind {
	case KindEntry:
		if a.Entry == nil {
			return a.StepKind
		}
		e := *a.Entry
		switch {
		case redact && (e.Type == timeline.Note || e.Type == timeline.Set):
			return e.Type + " (text of a restricted incident)"
		case e.Type == timeline.Note:
			return "note: " + firstLine(e.Text)
		case e.Type == timeline.Assign:
			return "assign " + timeline.Describe(e)
		}
		return timeline.Describe(e)
	case KindComment:
		if a.StepKind == "mention" {
			return fmt.Sprintf("mention @%s on %s", strings.Join(a.Users, ", @"), targetName(a.Target))
		}
		return "comment on " + targetName(a.Target)
	case KindLabels:
		return fmt.Sprintf("label %s: %s", targetName(a.Target), strings.Join(a.Labels, ", "))
	case KindReviewers:
		who := make([]string, 0, len(a.Users)+len(a.Teams))
		for _, u := range a.Users {
			who = append(who, "@"+u)
		}
		for _, t := range a.Teams {
			who = append(who, "team "+t)
		}
		return fmt.Sprintf("request reviewers on %s: %s", targetName(a.Target), strings.Join(who, ", "))
	case KindIssue:
		repo := a.Repo
		if repo == "" {
			repo = "the incident repository"
		}
		return fmt.Sprintf("open an issue in %s: %q", repo, a.Title)
	case KindWebhook:
		if a.Webhook == nil {
			return "webhook"
		}
		w := a.Webhook
		dest := w.URL
		if w.URLEnv != "" {
			dest = "$" + w.URLEnv
		}
		signed := ""
		if w.SecretEnv != "" {
			signed = ", signed with $" + w.SecretEnv
		}
		return fmt.Sprintf("webhook %s (%s%s) → %s", w.Name, w.Format, signed, dest)
	case KindNotify:
		if a.Notify == nil {
			return "notify"
		}
		if a.Notify.Person != "" {
			return fmt.Sprintf("notify %s via %s (%s)", a.Notify.Person, a.Notify.Channel, a.Notify.Message.Action)
		}
		return fmt.Sprintf("notify channel %s (%s)", a.Notify.Channel, a.Notify.Message.Action)
	}
	return string(a.Kind)
}

func targetName(t *Target) string {
	if t == nil {
		return "the incident's issue"
	}
	kind := "issue"
	if t.Pull {
		kind = "pull request"
	}
	return fmt.Sprintf("%s %s/%s#%d", kind, t.Owner, t.Repo, t.Number)
}

func firstLine(s string) string {
	line, rest, _ := strings.Cut(s, "\n")
	if strings.TrimSpace(rest) != "" {
		line += " …"
	}
	return line
}

// Describe says what happened, in one line.
func (ev Event) Describe() string {
	switch ev.Type {
	case TagAdded, TagRemoved:
		return ev.Type + " " + ev.Tag
	case RoleAssigned:
		return fmt.Sprintf("%s %s → %s", ev.Type, ev.Role, ev.Person)
	case StatusChanged, SeverityChanged:
		return fmt.Sprintf("%s %s → %s", ev.Type, ev.From, ev.To)
	}
	return ev.Type
}
