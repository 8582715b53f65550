package profiles

import (
	"embed"
	"io/fs"
)

// Root is the name of the search root the bases are registered under, so a
// module imports them as "<profiles/installer.hcl>". The strata command
// registers it by default.
const Root = "profiles"

//go:embed *.hcl options/*.hcl
var files embed.FS

// FS returns the bases and their declaration modules as a read-only file
// system: cd-dvd.hcl, installer.hcl and netboot.hcl at the top, and the
// declarations they share under options/. Register it as a search root of an
// evaluation under the name [Root]:
//
//	cfg := &merge.Config{Roots: map[string]fs.FS{profiles.Root: profiles.FS()}}
//
// Every call returns the same embedded files; the caller may share it
// between evaluations and goroutines.
func FS() fs.FS { return files }
