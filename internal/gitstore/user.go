package gitstore

import (
	"cmp"
	"context"
	"path/filepath"
)

// User finds the git identity as git itself does (git var), and when git
// cannot tell, reads user.name and user.email from the repository's and
// the global config files found from getenv's HOME (go-git would read the
// process's). repo may be nil (outside a repository).
func User(ctx context.Context, repo *Repo, getenv func(string) string) (string, string) {
	name, email := getenv("GIT_AUTHOR_NAME"), getenv("GIT_AUTHOR_EMAIL")
	if name != "" && email != "" {
		return name, email
	}
	var files []string
	if repo != nil {
		if n, e, err := repo.Ident(ctx); err == nil && n != "" && e != "" {
			return n, e
		}
		files = append(files, filepath.Join(repo.CommonDir, "config"))
	}
	if g := getenv("GIT_CONFIG_GLOBAL"); g != "" {
		files = append(files, g)
	} else {
		if home := getenv("HOME"); home != "" {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
		xdg := getenv("XDG_CONFIG_HOME")
		if xdg == "" && getenv("HOME") != "" {
			xdg = filepath.Join(getenv("HOME"), ".config")
		}
		if xdg != "" {
			files = append(files, filepath.Join(xdg, "git", "config"))
		}
	}
	for _, f := range files {
		n, e := ConfigUser(f)
		name, email = cmp.Or(name, n), cmp.Or(email, e)
	}
	return name, email
}
