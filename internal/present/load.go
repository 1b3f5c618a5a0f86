package present

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/sev-dev/sev/internal/rotation"
)

// loadView is one person's on-call load over a window.
type loadView struct {
	Person     string   `json:"person"`
	Timezone   string   `json:"timezone"`
	Hours      float64  `json:"hours"`
	OffHours   float64  `json:"off_hours"`
	NightHours float64  `json:"night_hours"`
	Shifts     int      `json:"shifts"`
	Rotations  []string `json:"rotations"`
}

// OnCallLoad prints each person's on-call hours, off-hours and night
// hours over a window, as a table or as JSON.
func OnCallLoad(w io.Writer, loads []rotation.PersonLoad, asJSON bool) error {
	views := make([]loadView, len(loads))
	for i, l := range loads {
		views[i] = loadView{Person: l.Person, Timezone: l.Timezone, Hours: l.Hours.Total, OffHours: l.Hours.Off,
			NightHours: l.Hours.Night, Shifts: l.Shifts, Rotations: l.Rotations}
	}
	if asJSON {
		return JSON(w, views)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PERSON\tHOURS\tOFF-HOURS\tNIGHT\tSHIFTS\tROTATIONS\t")
	for _, v := range views {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%d\t%s\t\n", v.Person, v.Hours, v.OffHours, v.NightHours, v.Shifts, strings.Join(v.Rotations, ","))
	}
	return tw.Flush()
}
