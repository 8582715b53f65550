package host

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/merge/mergetest"
	"github.com/strata-build/strata/profiles"
)

// config evaluates a host on the installer base, held in memory.
func config() *merge.Config {
	return &merge.Config{
		FS: fstest.MapFS{"host.hcl": {Data: []byte(`imports = ["<profiles/installer.hcl>"]

config {
  networking { hostName = "outside" }
  services {
    openssh { enable = false }
  }
}
`)}},
		Roots: map[string]fs.FS{profiles.Root: profiles.FS()},
	}
}

func TestHost(t *testing.T) {
	r := mergetest.Eval(t, config(), "host.hcl")
	mergetest.Value(t, r, "networking.hostName", "outside")
	mergetest.Value(t, r, "services.openssh.enable", false)
	mergetest.Value(t, r, "boot.loader.grub.enable", false)
	mergetest.Warnings(t, r)
}

func TestGolden(t *testing.T) {
	r := mergetest.Eval(t, config(), "host.hcl")
	mergetest.Golden(t, r, "fileSystems", "testdata/filesystems.json")
}
