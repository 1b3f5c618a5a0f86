package sitesearch

import (
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/attachtext"
	"github.com/sev-dev/sev/internal/searchtext"
)

// FromSearch makes the Doc of an incident from the document `sev search`
// indexes (searchtext.NewDoc: the record, the timeline entries with text, the
// postmortem's sections without sev's generated regions; and the
// attachments' text the caller put in it, each cut to MaxAttachmentText), so the site
// searches the same text with the same weights. url is the incident's
// page relative to the site's root, sevName its severity's name, and loc
// the time zone of sev.yaml, in which timeline entries are labelled
// ("Timeline 14:31") and the incident is dated.
func FromSearch(sd *searchtext.Doc, url, sevName string, loc *time.Location) Doc {
	if loc == nil {
		loc = time.UTC
	}
	d := Doc{ID: sd.ID, URL: url, Title: sd.Title, Severity: sd.Severity, SevName: sevName, Status: sd.Status,
		Tags: sd.Tags, Orgs: sd.Orgs, Services: sd.Services}
	if !sd.Date.IsZero() {
		d.Date = sd.Date.In(loc)
		d.Year = d.Date.Year()
	}
	add := func(label, text string, w float64) {
		if text != "" {
			d.Sections = append(d.Sections, Section{Label: label, Text: text, Weight: w})
		}
	}
	add("Summary", sd.Summary, searchtext.WeightSummary)
	add("Impact", sd.Impact, searchtext.WeightImpact)
	for _, e := range sd.Timeline {
		add("Timeline "+timeLabel(e.At.In(loc), d.Date), e.Text, searchtext.WeightText)
	}
	if pm := sd.Postmortem; pm != nil {
		for _, s := range pm.Sections {
			label := "Postmortem: " + s.Heading
			if strings.HasPrefix(strings.ToLower(s.Heading), "postmortem") { // the "# Postmortem: …" title
				label = s.Heading
			}
			add(label, s.Heading, searchtext.WeightHeading)
			add(label, s.Text, searchtext.WeightText)
		}
		for _, f := range pm.FollowUps {
			add("Follow-up", f, searchtext.WeightText)
		}
	}
	for _, a := range sd.Attachments {
		if a.Text != "" {
			d.Sections = append(d.Sections, Section{Label: "Attachment: " + a.Name, Text: attachtext.Truncate(a.Text, MaxAttachmentText),
				Weight: searchtext.WeightAttachment, Attachment: true})
		}
	}
	return d
}

// MaxAttachmentText is how much of an attachment's text the site's search
// indexes. Its fragment carries the text (for snippets and phrases), and
// a browser downloads a fragment for every result it shows, so this is
// less than sev search's own cap (attachtext.MaxText).
const MaxAttachmentText = 64 << 10

// timeLabel is an entry's time, with its date when it is not the day of
// the incident, as sev search says where a match is.
func timeLabel(at, day time.Time) string {
	if y, m, dd := at.Date(); day.IsZero() || (y == day.Year() && m == day.Month() && dd == day.Day()) {
		return at.Format("15:04")
	}
	return at.Format("2006-01-02 15:04")
}
