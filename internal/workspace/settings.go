package workspace

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/vcache"
)

// settingsCache is where the parsed sev.yaml is kept between commands:
// parsing a sev.yaml that lists a company's people takes milliseconds
// every command would pay.
const settingsCache = "settings.json"

// cachedSettings is the cache file: the settings and findings Parse gave
// for the bytes and the binary the key names.
type cachedSettings struct {
	Key      string           `json:"key"`
	Settings *config.Settings `json:"settings"`
	Diags    diag.List        `json:"diags"`
}

// readSettings reads sev.yaml as config.Read does, answered from
// .git/sev/settings.json when sev.yaml's bytes and the sev binary are the
// ones it was made from (parsing is a function of both, so the answer is
// the same); any problem with the cache means parsing again.
func readSettings(root string, fsys fs.FS) (*config.Settings, diag.List, error) {
	data, err := config.ReadBytes(fsys)
	if err != nil {
		return nil, nil, err
	}
	if data == nil {
		return config.Default(), nil, nil
	}
	gitDir := filepath.Join(root, ".git")
	if fi, err := os.Stat(gitDir); err != nil || !fi.IsDir() {
		s, diags := config.Parse(config.File, data)
		return s, diags, nil
	}
	key := fmt.Sprintf("%x %s settings-1", sha256.Sum256(data), vcache.BinaryKey())
	path := filepath.Join(gitDir, "sev", settingsCache)
	if b, err := os.ReadFile(path); err == nil {
		var c cachedSettings
		if json.Unmarshal(b, &c) == nil && c.Key == key && c.Settings != nil {
			c.Settings.Restore()
			return c.Settings, c.Diags, nil
		}
	}
	s, diags := config.Parse(config.File, data)
	if b, err := json.Marshal(cachedSettings{Key: key, Settings: s, Diags: diags}); err == nil {
		writeAtomic(path, b)
	}
	return s, diags, nil
}

// writeAtomic writes a cache file whole or not at all; failing to is not
// an error (the next command parses again).
func writeAtomic(path string, b []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".settings-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}
