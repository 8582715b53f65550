package profiles_test

import (
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

// A host that imports the installer base keeps none of its own file systems:
// the installer replaces the whole layout at image-media priority, and only
// the image's mount points remain. The host's sshd setting wins over the
// installer's mkDefault.
func ExampleFS() {
	host := fstest.MapFS{"host.hcl": {Data: []byte(`
imports = ["<profiles/installer.hcl>"]

config {
  fileSystems "/home" {
    device = "/dev/sda2"
    fsType = "ext4"
  }
  services {
    openssh { enable = false }
  }
}
`)}}
	cfg := &merge.Config{FS: host, Roots: map[string]fs.FS{profiles.Root: profiles.FS()}}
	r, diags := cfg.Eval("host.hcl")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	fsys, diags := r.Get("fileSystems")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	fmt.Println("fileSystems has", keys(fsys))
	for _, path := range []string{`fileSystems."/".fsType`, "services.openssh.enable", "boot.kernelParams"} {
		js, diags := r.JSON(path)
		if diags.HasErrors() {
			fmt.Println(diags.Error())
			return
		}
		fmt.Println(path, "=", string(js))
	}
	// Output:
	// fileSystems has [/ /iso /nix/.ro-store /nix/.rw-store /nix/store]
	// fileSystems."/".fsType = "tmpfs"
	// services.openssh.enable = false
	// boot.kernelParams = ["boot.shell_on_fail","root=LABEL=nixos-26.11-x86_64"]
}
