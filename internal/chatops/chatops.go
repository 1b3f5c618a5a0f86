// Package chatops reads the commands people write in comments on an
// incident's GitHub issue or pull request ("/sev status mitigated") and turns
// each into the change that records it, with the same typed operation
// (package ops) as the sev command of the same name. It is pure: who may
// run a command, which incident the issue belongs to and how the change is
// committed are the caller's business.
//
// A comment may hold several commands, one per line starting with "/sev".
// The text of "/sev note" runs to the next command line, so a note can have
// paragraphs. Everything else in the comment is conversation and ignored.
// Words are never interpreted by a shell or parsed as flags: each command
// has a fixed shape and maps to one operation's typed fields.
package chatops

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

// Prefix starts a command line.
const Prefix = "/sev"

// Command is one command from a comment.
type Command struct {
	Line int      // 1-based line in the comment
	Verb string   // canonical verb: note, ack, status, severity, assign, unassign, tag, untag, page, link, help
	Args []string // the verb's arguments, already checked for shape
}

// Error is a command that cannot be understood; Line is 1-based.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// verbs maps what people write to the canonical verb.
var verbs = map[string]string{
	"note": "note", "status": "status", "sev": "severity", "severity": "severity",
	"assign": "assign", "unassign": "unassign", "tag": "tag", "untag": "untag",
	"page": "page", "link": "link", "help": "help", "ack": "ack", "acknowledge": "ack",
}

// Usage is the reply to "/sev help" and to a command that is not understood.
const Usage = "Commands, one per line:\n" +
	"- `/sev note TEXT` — add a note to the timeline (the text may go on over several lines)\n" +
	"- `/sev ack [TEXT]` (or `/sev acknowledge`) — you have it, and its escalation stops\n" +
	"- `/sev status STATUS` — e.g. `/sev status mitigated`\n" +
	"- `/sev sev LEVEL` — change the severity, e.g. `/sev sev 1`\n" +
	"- `/sev assign ROLE @person` — e.g. `/sev assign commander @alice` (`me` for yourself)\n" +
	"- `/sev unassign ROLE`\n" +
	"- `/sev tag TAG...` and `/sev untag TAG...`\n" +
	"- `/sev page ROTATION` — page whoever is on call, e.g. `/sev page legal`\n" +
	"- `/sev link KIND URL` — e.g. `/sev link dashboard https://grafana.example/d/checkout`\n" +
	"- `/sev help` — this list\n"

// Parse reads every command in a comment. A comment with no command line
// gives none and no error; the first command that cannot be understood
// stops the parse, so a half-understood comment records nothing.
func Parse(body string) ([]Command, error) {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	var out []Command
	for i := 0; i < len(lines); i++ {
		rest, ok := commandLine(lines[i])
		if !ok {
			continue
		}
		word, args := cut(rest)
		verb, known := verbs[strings.ToLower(word)]
		if !known {
			if word == "" {
				return nil, &Error{i + 1, "a command is missing after /sev"}
			}
			return nil, &Error{i + 1, fmt.Sprintf("unknown command %q", word)}
		}
		c := Command{Line: i + 1, Verb: verb}
		if verb == "note" {
			text := []string{args}
			for i+1 < len(lines) {
				if _, next := commandLine(lines[i+1]); next {
					break
				}
				i++
				text = append(text, lines[i])
			}
			c.Args = []string{strings.TrimSpace(strings.Join(text, "\n"))}
		} else if verb == "ack" {
			c.Args = []string{args}
		} else {
			c.Args = strings.Fields(args)
		}
		if err := c.check(); err != nil {
			return nil, &Error{c.Line, err.Error()}
		}
		out = append(out, c)
	}
	return out, nil
}

// commandLine reports whether a line is a command and gives what follows
// the prefix. Quoted lines ("> /sev …", a reply quoting someone) are not.
func commandLine(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, Prefix) {
		return "", false
	}
	rest := t[len(Prefix):]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", false // "/several" is a word, not a command
	}
	return strings.TrimSpace(rest), true
}

func cut(s string) (string, string) {
	word, rest, _ := strings.Cut(s, " ")
	return word, strings.TrimSpace(rest)
}

// check validates the shape of a command's arguments.
func (c *Command) check() error {
	n := len(c.Args)
	switch c.Verb {
	case "note":
		if c.Args[0] == "" {
			return fmt.Errorf("/sev note needs the text of the note")
		}
		return nil
	case "status", "unassign":
		if n != 1 {
			return fmt.Errorf("/sev %s needs exactly one word, e.g. %s", c.Verb, example[c.Verb])
		}
	case "severity":
		if n != 1 {
			return fmt.Errorf("/sev sev needs the level, e.g. /sev sev 1")
		}
		c.Args[0] = strings.TrimPrefix(strings.ToUpper(c.Args[0]), "SEV")
		if _, err := strconv.Atoi(c.Args[0]); err != nil {
			return fmt.Errorf("/sev sev needs a level such as 1 or SEV1, not %q", c.Args[0])
		}
	case "assign":
		if n != 2 {
			return fmt.Errorf("/sev assign needs a role and a person, e.g. /sev assign commander @alice")
		}
	case "tag", "untag", "page":
		if n == 0 {
			return fmt.Errorf("/sev %s needs at least one name, e.g. %s", c.Verb, example[c.Verb])
		}
	case "link":
		if n != 2 {
			return fmt.Errorf("/sev link needs a kind and a URL, e.g. %s", example["link"])
		}
	case "help", "ack":
		return nil
	}
	for _, a := range c.Args {
		if strings.HasPrefix(a, "-") {
			return fmt.Errorf("%q: arguments cannot start with '-'", a)
		}
	}
	return nil
}

var example = map[string]string{
	"status": "/sev status mitigated", "unassign": "/sev unassign scribe", "tag": "/sev tag database",
	"untag": "/sev untag database", "page": "/sev page legal",
	"link": "/sev link dashboard https://grafana.example/d/checkout",
}

// Change makes the change that records c on inc, as by, with package
// ops — the same operation the sev command of the same name runs; who
// maps a GitHub login ("@alice", or "me" for by) to a sev handle. "help"
// makes none.
func (c Command) Change(env *ops.Env, inc *ops.Incident, by string, who func(login string) string) (*change.Change, error) {
	switch c.Verb {
	case "note":
		return env.Note(inc, by, ops.Note{Text: c.Args[0]})
	case "ack":
		return env.Ack(inc, by, ops.Ack{Note: c.Args[0]})
	case "status":
		return env.Status(inc, by, ops.Status{Status: c.Args[0]})
	case "severity":
		return env.Severity(inc, by, ops.Severity{Level: c.Args[0]})
	case "assign":
		person := c.Args[1]
		if strings.EqualFold(person, "me") {
			person = by
		} else {
			person = who(strings.TrimPrefix(person, "@"))
		}
		return env.Assign(inc, by, ops.Assign{Role: c.Args[0], Person: person})
	case "unassign":
		return env.Assign(inc, by, ops.Assign{Role: c.Args[0], Remove: true})
	case "tag", "untag":
		return env.Tag(inc, by, ops.Tags{Tags: c.Args, Remove: c.Verb == "untag"})
	case "page":
		return env.Page(inc, by, ops.Page{Rotations: c.Args})
	case "link":
		return env.Link(inc, by, ops.Link{Kind: c.Args[0], URL: c.Args[1]})
	}
	return nil, nil
}
