// Command sev manages incidents as code: see README.md.
package main

import (
	"os"

	"github.com/sev-dev/sev/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr))
}
