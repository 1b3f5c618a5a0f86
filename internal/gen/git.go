package gen

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The commit is made by the git CLI rather than go-git: `git fast-import`
// takes blobs as a stream and writes them straight into one packfile, which
// for 300,000 files is far faster than writing loose objects, and it is
// fed while the files are being generated. The index is then filled from
// the commit's tree with `git reset`, which also records the files' stat
// data, so `git status` is clean and fast afterwards. There is no `git gc`:
// the fast-import pack is an ordinary packfile.

// author of the generated commit; its time is Options.End, so the commit
// id depends on the options only.
const author = "sev dev gen <gen@example.com>"

type fastImport struct {
	dir    string
	cmd    *exec.Cmd
	in     io.WriteCloser
	stderr bytes.Buffer

	mu    sync.Mutex
	w     *bufio.Writer
	paths []string // paths[mark-1]
	err   error    // the first write error; later writes are skipped
}

// gitCmd runs git in dir, ignoring variables that would point it at
// another repository (set, for example, when running inside a git hook).
func gitCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CEILING_DIRECTORIES":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	return cmd
}

func runGit(dir string, args ...string) (string, error) {
	cmd := gitCmd(dir, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("gen: git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

func startFastImport(dir string) (*fastImport, error) {
	if _, err := runGit(dir, "init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	fi := &fastImport{dir: dir, cmd: gitCmd(dir, "fast-import", "--quiet", "--done")}
	fi.cmd.Stderr = &fi.stderr
	in, err := fi.cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	if err := fi.cmd.Start(); err != nil {
		return nil, fmt.Errorf("gen: git fast-import: %w", err)
	}
	fi.in, fi.w = in, bufio.NewWriterSize(in, 1<<20)
	return fi, nil
}

// blob streams one file's content; it is safe for concurrent use.
func (fi *fastImport) blob(path string, data []byte) error {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if fi.err != nil {
		return fi.err
	}
	fi.paths = append(fi.paths, path)
	fi.w.WriteString("blob\nmark :")
	fi.w.WriteString(strconv.Itoa(len(fi.paths)))
	fi.w.WriteString("\ndata ")
	fi.w.WriteString(strconv.Itoa(len(data)))
	fi.w.WriteByte('\n')
	fi.w.Write(data)
	if err := fi.w.WriteByte('\n'); err != nil {
		fi.err = fmt.Errorf("gen: git fast-import: %w: %s", err, strings.TrimSpace(fi.stderr.String()))
	}
	return fi.err
}

// commit writes one commit with every blob at its path on refs/heads/main,
// waits for fast-import, fills the index and returns the commit id.
func (fi *fastImport) commit(msg string, when time.Time) (string, error) {
	order := make([]int, len(fi.paths))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(fi.paths[a], fi.paths[b]) })
	sig := author + " " + strconv.FormatInt(when.Unix(), 10) + " +0000\n"
	fmt.Fprintf(fi.w, "commit refs/heads/main\nauthor %scommitter %sdata %d\n%s\n", sig, sig, len(msg), msg)
	for _, i := range order {
		fmt.Fprintf(fi.w, "M 100644 :%d %s\n", i+1, fi.paths[i])
	}
	fi.w.WriteString("\ndone\n")
	err := fi.w.Flush()
	if cerr := fi.in.Close(); err == nil {
		err = cerr
	}
	if werr := fi.cmd.Wait(); werr != nil || err != nil {
		return "", fmt.Errorf("gen: git fast-import: %v: %s", cmp.Or(werr, err), strings.TrimSpace(fi.stderr.String()))
	}
	fi.cmd = nil
	// reset (mixed) reads HEAD's tree into the index and refreshes the
	// stat data of every file, which the working tree already matches.
	if _, err := runGit(fi.dir, "reset", "-q"); err != nil {
		return "", err
	}
	return runGit(fi.dir, "rev-parse", "HEAD")
}

// abort stops fast-import when generation failed before the commit.
func (fi *fastImport) abort() {
	if fi.cmd == nil || fi.cmd.ProcessState != nil {
		return
	}
	fi.in.Close()
	fi.cmd.Process.Kill()
	fi.cmd.Wait()
}
