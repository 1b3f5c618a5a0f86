package rule

import (
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/sev-dev/sev/internal/diag"
)

// ReadFiles reads the files of rules/: every <name>.yaml; anything else
// (but dot files such as .gitkeep) is a layout warning.
func ReadFiles(fsys fs.FS) ([]File, diag.List, error) {
	entries, err := fs.ReadDir(fsys, Folder)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var files []File
	var diags diag.List
	for _, e := range entries {
		p := path.Join(Folder, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."):
			continue
		case !e.Type().IsRegular():
			diags.Add(diag.Pos{Path: p}, "file-type", "not a regular file; rules are plain files rules/<name>.yaml")
			continue
		case path.Ext(e.Name()) != ".yaml":
			diags.Warn(diag.Pos{Path: p}, "layout", "not a rule file (rules/<name>.yaml); it is ignored")
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, File{Path: p, Data: data})
	}
	return files, diags, nil
}
