package ghfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// specFile is GitHub's description of api.github.com inside the npm
// package, with $refs kept (the dereferenced copy is five times larger).
var specFile = filepath.Join("node_modules", "@octokit", "openapi", "generated", "api.github.com.json")

// errNoSpec means the npm package is not installed.
var errNoSpec = errors.New("node_modules/@octokit/openapi is missing; run `npm ci` at the module root")

// spec is the part of the OpenAPI description the validator reads. The
// file is decoded once into raw JSON per path and per component; an
// operation and the schemas it references are decoded the first time a
// request needs them.
type spec struct {
	templates []*template
	raw       rawSpec

	mu      sync.Mutex
	ops     map[string]*operation     // by "METHOD /template"
	schemas map[string]*schema        // by component name
	params  map[string]*parameter     // by component name
	bodies  map[string]*requestBodyIn // by component name
}

type rawSpec struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas       map[string]json.RawMessage `json:"schemas"`
		Parameters    map[string]json.RawMessage `json:"parameters"`
		RequestBodies map[string]json.RawMessage `json:"requestBodies"`
	} `json:"components"`
}

// template is a documented path split into segments; "{name}" segments
// match any one segment.
type template struct {
	path string
	segs []string
}

// operation is one documented method on one path.
type operation struct {
	id       string
	template *template
	params   []*parameter
	body     *requestBodyIn
}

type parameter struct {
	Ref      string  `json:"$ref"`
	Name     string  `json:"name"`
	In       string  `json:"in"`
	Required bool    `json:"required"`
	Schema   *schema `json:"schema"`
}

type requestBodyIn struct {
	Ref      string `json:"$ref"`
	Required bool   `json:"required"`
	Content  map[string]struct {
		Schema *schema `json:"schema"`
	} `json:"content"`
}

var (
	specOnce sync.Once
	specVal  *spec
	specErr  error
)

// loadSpec reads the description once per test binary, from the module
// root found by walking up from the working directory to go.mod.
func loadSpec() (*spec, error) {
	specOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			specErr = err
			return
		}
		b, err := os.ReadFile(filepath.Join(root, specFile))
		if errors.Is(err, os.ErrNotExist) {
			specErr = errNoSpec
			return
		}
		if err != nil {
			specErr = err
			return
		}
		specVal, specErr = parseSpec(b)
	})
	return specVal, specErr
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

func parseSpec(b []byte) (*spec, error) {
	sp := &spec{
		ops:     map[string]*operation{},
		schemas: map[string]*schema{},
		params:  map[string]*parameter{},
		bodies:  map[string]*requestBodyIn{},
	}
	if err := json.Unmarshal(b, &sp.raw); err != nil {
		return nil, fmt.Errorf("%s: %w", specFile, err)
	}
	if len(sp.raw.Paths) == 0 {
		return nil, fmt.Errorf("%s: no paths", specFile)
	}
	for p := range sp.raw.Paths {
		sp.templates = append(sp.templates, &template{path: p, segs: strings.Split(strings.Trim(p, "/"), "/")})
	}
	// Sorted so that the most literal template is found first: among
	// templates of one length, at the first segment where two differ, a
	// literal sorts before a {param}.
	slices.SortFunc(sp.templates, func(a, b *template) int {
		if len(a.segs) != len(b.segs) {
			return len(a.segs) - len(b.segs)
		}
		for i := range a.segs {
			if pa, pb := isParam(a.segs[i]), isParam(b.segs[i]); pa != pb {
				if pa {
					return 1
				}
				return -1
			}
		}
		return strings.Compare(a.path, b.path)
	})
	return sp, nil
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// match finds the template path matches and the values of its {params}.
func (sp *spec) match(path string) (*template, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, t := range sp.templates {
		if len(t.segs) != len(segs) {
			continue
		}
		vals := map[string]string{}
		ok := true
		for i, s := range t.segs {
			if isParam(s) {
				vals[s[1:len(s)-1]] = segs[i]
			} else if s != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return t, vals
		}
	}
	return nil, nil
}

// methods lists the methods documented for a template, for messages.
func (sp *spec) methods(t *template) []string {
	var out []string
	for m := range sp.raw.Paths[t.path] {
		if m != "parameters" && !strings.HasPrefix(m, "x-") {
			out = append(out, strings.ToUpper(m))
		}
	}
	slices.Sort(out)
	return out
}

// operation decodes the documented method on t, or returns nil.
func (sp *spec) operation(method string, t *template) (*operation, error) {
	key := method + " " + t.path
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if op, ok := sp.ops[key]; ok {
		return op, nil
	}
	raw, ok := sp.raw.Paths[t.path][strings.ToLower(method)]
	if !ok {
		return nil, nil
	}
	var in struct {
		ID          string         `json:"operationId"`
		Parameters  []*parameter   `json:"parameters"`
		RequestBody *requestBodyIn `json:"requestBody"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", specFile, key, err)
	}
	op := &operation{id: in.ID, template: t, body: in.RequestBody}
	for _, p := range in.Parameters {
		p, err := sp.parameterLocked(p)
		if err != nil {
			return nil, err
		}
		op.params = append(op.params, p)
	}
	if op.body != nil && op.body.Ref != "" {
		b, err := resolveLocked(sp.bodies, sp.raw.Components.RequestBodies, "#/components/requestBodies/", op.body.Ref)
		if err != nil {
			return nil, err
		}
		op.body = b
	}
	sp.ops[key] = op
	return op, nil
}

func (sp *spec) parameterLocked(p *parameter) (*parameter, error) {
	if p.Ref == "" {
		return p, nil
	}
	return resolveLocked(sp.params, sp.raw.Components.Parameters, "#/components/parameters/", p.Ref)
}

// schemaRef resolves a "#/components/schemas/NAME" reference.
func (sp *spec) schemaRef(ref string) (*schema, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return resolveLocked(sp.schemas, sp.raw.Components.Schemas, "#/components/schemas/", ref)
}

// resolveLocked decodes the component ref names, once; sp.mu is held.
func resolveLocked[T any](cache map[string]*T, raw map[string]json.RawMessage, prefix, ref string) (*T, error) {
	name, ok := strings.CutPrefix(ref, prefix)
	if !ok {
		return nil, fmt.Errorf("%s: unsupported $ref %q (want %sNAME)", specFile, ref, prefix)
	}
	if v, ok := cache[name]; ok {
		return v, nil
	}
	b, ok := raw[name]
	if !ok {
		return nil, fmt.Errorf("%s: $ref %q names no component", specFile, ref)
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", specFile, ref, err)
	}
	cache[name] = v
	return v, nil
}
