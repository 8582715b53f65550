package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-build/strata/media"
	"github.com/strata-build/strata/merge"
)

const host = "../live-iso/host.hcl"

func mustEval(t *testing.T, modules ...string) *merge.Result {
	t.Helper()
	r, diags := evaluate(modules...)
	if diags.HasErrors() {
		t.Fatalf("evaluate: %s", diags.Error())
	}
	return r
}

// TestKernelParams pins the kernel command line: the base's parameters
// first, then the host's, with the serial console last.
func TestKernelParams(t *testing.T) {
	var got []string
	if diags := mustEval(t, host).Decode("boot.kernelParams", &got); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := []string{
		"boot.shell_on_fail", "root=LABEL=STRATA_LIVE",
		"console=tty0", "console=ttyS0,115200n8", "panic=5", "lab.role=installer",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boot.kernelParams (-want +got):\n%s", diff)
	}
}

// TestFileSystems checks that the installer's layout replaced the host's:
// a live image must not mount the machine's disks.
func TestFileSystems(t *testing.T) {
	type fileSystem struct {
		FsType string `cty:"fsType"`
	}
	var got map[string]fileSystem
	if diags := mustEval(t, host).Decode("fileSystems", &got); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := map[string]fileSystem{
		"/":              {FsType: "tmpfs"},
		"/iso":           {FsType: "auto"},
		"/nix/.ro-store": {FsType: "squashfs"},
		"/nix/.rw-store": {FsType: "tmpfs"},
		"/nix/store":     {FsType: "overlay"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fileSystems (-want +got):\n%s", diff)
	}
}

// TestMedia checks what the image will be made of.
func TestMedia(t *testing.T) {
	got, diags := media.FromResult(mustEval(t, host))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	one := 1
	hostDir, err := filepath.Abs("../live-iso")
	if err != nil {
		t.Fatal(err)
	}
	want := &media.Spec{
		VolumeID:           "STRATA_LIVE",
		Kernel:             "/boot-inputs/vmlinuz",
		Initrd:             "/boot-inputs/initrd.img",
		Isolinux:           "/boot-inputs/isolinux.bin",
		Ldlinux:            "/boot-inputs/ldlinux.c32",
		IsohybridMBR:       "/boot-inputs/isohdpfx.bin",
		EFILoader:          "/boot-inputs/BOOTX64.EFI",
		KernelFile:         "bzImage",
		InitrdFile:         "initrd",
		KernelParams:       got.KernelParams, // TestKernelParams pins them
		Timeout:            &one,
		DistroName:         "NixOS",
		SystemLabel:        "26.11",
		PrependToMenuLabel: "Lab ",
		AppendToMenuLabel:  " Installer",
		Contents:           []media.Content{{Source: filepath.Join(hostDir, "welcome.txt"), Target: "/welcome.txt"}},
		BIOS:               true,
		EFI:                true,
		USB:                true,
	}
	opts := cmpopts.IgnoreFields(media.Spec{}, "Config", "Places", "FS", "ModTime")
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("media.Spec (-want +got):\n%s", diff)
	}
	if got.Label() != "Lab NixOS 26.11 Installer" {
		t.Errorf("Label() = %q", got.Label())
	}
}

// TestOverrides evaluates the host with one more module and checks what
// wins, as a host's maintainer would before changing it.
func TestOverrides(t *testing.T) {
	tests := []struct {
		name      string
		extra     string
		path      string
		want      any
		wantError string
	}{
		{
			name:  "a forced timeout beats the host's",
			extra: "config {\n  boot = { loader = { timeout = mkOverride(40, 3) } }\n}",
			path:  "boot.loader.timeout",
			want:  3,
		},
		{
			name:  "kernel parameters of a module given first come last",
			extra: "config {\n  boot = { kernelParams = [\"quiet\"] }\n}",
			path:  "boot.kernelParams",
			want:  []string{"boot.shell_on_fail", "root=LABEL=STRATA_LIVE", "console=tty0", "console=ttyS0,115200n8", "panic=5", "lab.role=installer", "quiet"},
		},
		{
			name:      "a second plain volume ID conflicts",
			extra:     "config {\n  isoImage = { volumeID = \"OTHER\" }\n}",
			path:      "isoImage.volumeID",
			wantError: "conflicting",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			extra := filepath.Join(t.TempDir(), "extra.hcl")
			if err := os.WriteFile(extra, []byte(tc.extra+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r, diags := evaluate(extra, host)
			if diags.HasErrors() {
				if tc.wantError == "" || !strings.Contains(diags.Error(), tc.wantError) {
					t.Fatalf("evaluate: %s", diags.Error())
				}
				return
			}
			var got any
			switch tc.want.(type) {
			case int:
				var n int
				diags = r.Decode(tc.path, &n)
				got = n
			case []string:
				var l []string
				diags = r.Decode(tc.path, &l)
				got = l
			default:
				var s string
				diags = r.Decode(tc.path, &s)
				got = s
			}
			if tc.wantError != "" {
				if !slices.ContainsFunc(diags, func(d *hcl.Diagnostic) bool { return strings.Contains(d.Error(), tc.wantError) }) {
					t.Fatalf("got %v, %v; want an error containing %q", got, diags, tc.wantError)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}
