package ghsetup

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
)

// SetupOptions say what Setup may change beyond the labels.
type SetupOptions struct {
	// Pages publishes the site: the variable SEV_PAGES is set to true and
	// Pages is deployed by the site workflow. Without it Pages is set up
	// only when SEV_PAGES is true already.
	Pages bool
}

// Step is one thing Setup did or tried.
type Step struct {
	What string `json:"what"`
	// Err says why it could not be done ("" when it was).
	Err string `json:"error,omitzero"`
}

// Setup does what the token may of what Doctor checks: it creates the
// intake label and the labels rules add, and sets GitHub Pages to deploy
// the site workflow's upload when the site is published. What the token
// may not do is reported, not fatal; settings it cannot change (branch
// protection, secrets, the App) are left to Doctor's checklist.
func Setup(ctx context.Context, api *ghapi.Client, l *Local, o SetupOptions) ([]Step, error) {
	if _, err := api.Repository(ctx); err != nil {
		return nil, err
	}
	var steps []Step
	try := func(what string, err error) {
		s := Step{What: what}
		if err != nil {
			s.Err = err.Error()
		}
		steps = append(steps, s)
	}
	labels := map[string][2]string{ghaction.IntakeLabel: {"b60205", "An incident report: sev's intake declares it"}}
	for _, name := range l.Needs.Labels {
		if _, ok := labels[name]; !ok {
			labels[name] = [2]string{"ededed", "Added by sev's automation rules"}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(labels)) {
		ok, err := api.Label(ctx, name)
		if err != nil {
			try(fmt.Sprintf("check the label %q", name), err)
			continue
		}
		if !ok {
			try(fmt.Sprintf("create the label %q", name), api.CreateLabel(ctx, name, labels[name][0], labels[name][1]))
		}
	}
	if _, ok := l.Workflows["site.yml"]; !ok {
		return steps, nil
	}
	vars, err := api.Variables(ctx)
	if err != nil {
		if o.Pages {
			try("read the variables", err)
		}
		return steps, nil
	}
	publish := vars[PagesVariable] == "true"
	if o.Pages && !publish {
		err := api.CreateVariable(ctx, PagesVariable, "true")
		try("set the variable "+PagesVariable+" to true (publish the site)", err)
		publish = err == nil
	}
	if !publish {
		return steps, nil
	}
	p, err := api.Pages(ctx)
	switch {
	case err != nil:
		try("read the Pages settings", err)
	case p == nil:
		try("enable GitHub Pages, deployed by the site workflow", api.EnablePages(ctx))
	case p.BuildType != "workflow":
		try("deploy GitHub Pages from the site workflow instead of a branch", api.PagesFromWorkflow(ctx))
	}
	return steps, nil
}
