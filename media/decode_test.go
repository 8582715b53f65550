package media_test

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/strata-build/strata/media"
	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

func TestFromResult(t *testing.T) {
	tests := []struct {
		name      string
		host      string
		want      *media.Spec
		wantPlace map[string]int // option -> line of its first place in host.hcl
	}{
		{
			name: "installer",
			host: `imports = ["<profiles/installer.hcl>"]
config {
  isoImage {
    volumeID          = "LAB"
    configurationName = "lab"
    contents          = [{ source = "/src/motd", target = "/etc/motd" }]
  }
  boot {
    files {
      kernel = "/in/vmlinuz"
      initrd = "/in/initrd.img"
    }
    loader {
      timeout = mkForce(null)
    }
  }
}
`,
			want: &media.Spec{
				VolumeID: "LAB", Kernel: "/in/vmlinuz", Initrd: "/in/initrd.img",
				KernelFile: "bzImage", InitrdFile: "initrd",
				KernelParams: []string{"boot.shell_on_fail", "root=LABEL=LAB"},
				DistroName:   "NixOS", SystemLabel: "26.11", ConfigurationName: "lab", AppendToMenuLabel: " Installer",
				Contents: []media.Content{{Source: "/src/motd", Target: "/etc/motd"}},
				BIOS:     true, EFI: true, USB: true,
			},
			wantPlace: map[string]int{media.OptVolumeID: 4, media.OptKernel: 10, media.OptContents: 6},
		},
		{
			name: "netboot",
			host: `imports = ["<profiles/netboot.hcl>"]
config {
  boot {
    files {
      kernel   = "/in/vmlinuz"
      initrd   = "/in/initrd.img"
      isolinux = "/in/isolinux.bin"
      ldlinux  = "/in/ldlinux.c32"
    }
    kernelParams = ["quiet"]
  }
}
`,
			want: &media.Spec{
				VolumeID: media.NetbootVolumeID, Kernel: "/in/vmlinuz", Initrd: "/in/initrd.img",
				Isolinux: "/in/isolinux.bin", Ldlinux: "/in/ldlinux.c32",
				KernelFile: "bzImage", InitrdFile: "initrd", KernelParams: []string{"quiet"},
				Timeout: intp(10), DistroName: "NixOS", SystemLabel: "26.11", ScriptName: "netboot.ipxe",
				BIOS: true,
			},
			wantPlace: map[string]int{media.OptKernel: 5, media.OptKernelParams: 10},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &merge.Config{
				FS:    fstest.MapFS{"host.hcl": {Data: []byte(tc.host)}},
				Roots: map[string]fs.FS{profiles.Root: profiles.FS()},
			}
			r, diags := cfg.Eval("host.hcl")
			if diags.HasErrors() {
				t.Fatalf("Eval: %s", diags.Error())
			}
			got, diags := media.FromResult(r)
			if diags.HasErrors() {
				t.Fatalf("FromResult: %s", diags.Error())
			}
			opts := cmpopts.IgnoreFields(media.Spec{}, "Config", "Places")
			if diff := cmp.Diff(tc.want, got, opts); diff != "" {
				t.Errorf("Spec (-want +got):\n%s", diff)
			}
			want, err := r.MarshalJSON()
			if err != nil || string(got.Config) != string(want) {
				t.Errorf("Config is not the result's JSON (%v)", err)
			}
			for opt, line := range tc.wantPlace {
				var found bool
				for _, p := range got.Places[opt] {
					found = found || p.Filename == "host.hcl" && p.Start.Line == line
				}
				if !found {
					t.Errorf("Places[%s] = %v, want host.hcl line %d among them", opt, got.Places[opt], line)
				}
			}
		})
	}
}
