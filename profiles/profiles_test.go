package profiles_test

import (
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

// ctyCmp compares cty values by the JSON they stand for, so a list and a
// tuple of the same strings, or a typed and an untyped null, are equal: the
// merged configuration promises values, not cty's representation of them.
var ctyCmp = cmp.Comparer(func(a, b cty.Value) bool {
	if a == cty.NilVal || b == cty.NilVal {
		return a == b
	}
	ja, erra := ctyjson.SimpleJSONValue{Value: a}.MarshalJSON()
	jb, errb := ctyjson.SimpleJSONValue{Value: b}.MarshalJSON()
	if erra != nil || errb != nil {
		return a.RawEquals(b)
	}
	return string(ja) == string(jb)
})

// eval evaluates the host module main.hcl (with the other given files beside
// it) against the embedded bases, as a host would.
func eval(t *testing.T, files map[string]string) (*merge.Result, hcl.Diagnostics) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	cfg := &merge.Config{FS: fsys, Roots: map[string]fs.FS{profiles.Root: profiles.FS()}}
	return cfg.Eval("main.hcl")
}

// get evaluates the host and returns the value at path, or the diagnostics
// of the evaluation and of the lookup.
func get(t *testing.T, host, path string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	r, diags := eval(t, map[string]string{"main.hcl": host})
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	v, more := r.Get(path)
	return v, append(diags, more...)
}

// keys returns the sorted attribute names of an object or map value.
func keys(v cty.Value) []string {
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil
	}
	var ks []string
	for it := v.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		ks = append(ks, k.AsString())
	}
	sort.Strings(ks)
	return ks
}

// strs is a list of strings as the merged configuration holds it.
func strs(ss ...string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = cty.StringVal(s)
	}
	return cty.ListVal(vs)
}

// Hosts that the scenarios combine with a base.
const (
	// plainHost defines "/" and "/home" plainly, with a swap device and a
	// LUKS device.
	plainHost = `
config {
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "ext4"
  }
  fileSystems "/home" {
    device = "/dev/sda2"
    fsType = "ext4"
  }
  swapDevices = [{ device = "/dev/sda3" }]
  boot {
    initrd {
      luks {
        devices "cryptroot" {
          device = "/dev/sda4"
        }
      }
    }
  }
}
`
	// keyForceHost forces one key of fileSystems.
	keyForceHost = `
config {
  fileSystems = {
    "/"     = mkForce({ device = "/dev/sda1", fsType = "ext4" })
    "/home" = { device = "/dev/sda2", fsType = "ext4" }
  }
}
`
	// wholeForceHost forces the whole of fileSystems and swapDevices.
	wholeForceHost = `
config {
  fileSystems = mkForce({
    "/"     = { device = "/dev/sda1", fsType = "ext4" }
    "/home" = { device = "/dev/sda2", fsType = "ext4" }
  })
  swapDevices = mkForce([{ device = "/dev/sda3" }])
}
`
)

// def wraps one line of definitions in a config block.
func def(line string) string { return "config {\n  " + line + "\n}\n" }

// with prepends the import of a base to a host module.
func with(base, host string) string {
	return `imports = ["<profiles/` + base + `.hcl>"]` + "\n" + host
}

// TestFileSystemLayout checks which mount points survive when a host is
// combined with each base: the seed scenarios of ../shared/conformance/
// profiles and the per-key against whole-option overrides.
func TestFileSystemLayout(t *testing.T) {
	iso := []string{"/", "/iso", "/nix/.ro-store", "/nix/.rw-store", "/nix/store"}
	tests := []struct {
		name     string
		host     string
		wantKeys []string
		wantRoot string // fileSystems."/".fsType
	}{
		{name: "cd-dvd alone", host: with("cd-dvd", ""), wantKeys: iso, wantRoot: "tmpfs"},
		{name: "cd-dvd overrides only its minimum", host: with("cd-dvd", plainHost), wantKeys: append([]string{"/", "/home"}, iso[1:]...), wantRoot: "tmpfs"},
		{name: "cd-dvd yields to mkForce on a key", host: with("cd-dvd", keyForceHost), wantKeys: append([]string{"/", "/home"}, iso[1:]...), wantRoot: "ext4"},
		{name: "cd-dvd yields to mkForce on the whole option", host: with("cd-dvd", wholeForceHost), wantKeys: []string{"/", "/home"}, wantRoot: "ext4"},
		{name: "installer replaces the whole layout", host: with("installer", plainHost), wantKeys: iso, wantRoot: "tmpfs"},
		{name: "installer beats mkForce on a key", host: with("installer", keyForceHost), wantKeys: iso, wantRoot: "tmpfs"},
		{name: "installer yields to mkForce on the whole option", host: with("installer", wholeForceHost), wantKeys: []string{"/", "/home"}, wantRoot: "ext4"},
		{name: "netboot overrides only its minimum", host: with("netboot", plainHost), wantKeys: []string{"/", "/home", "/nix/.ro-store", "/nix/.rw-store", "/nix/store"}, wantRoot: "tmpfs"},
		{name: "netboot yields to mkForce on a key", host: with("netboot", keyForceHost), wantKeys: []string{"/", "/home", "/nix/.ro-store", "/nix/.rw-store", "/nix/store"}, wantRoot: "ext4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsv, diags := get(t, tc.host, "fileSystems")
			if diags.HasErrors() {
				t.Fatalf("evaluation failed: %s", diags.Error())
			}
			if diff := cmp.Diff(tc.wantKeys, keys(fsv)); diff != "" {
				t.Errorf("keys of fileSystems (-want +got):\n%s", diff)
			}
			root, diags := get(t, tc.host, `fileSystems."/".fsType`)
			if diags.HasErrors() {
				t.Fatalf("fileSystems.\"/\".fsType: %s", diags.Error())
			}
			if diff := cmp.Diff(cty.StringVal(tc.wantRoot), root, ctyCmp); diff != "" {
				t.Errorf(`fileSystems."/".fsType (-want +got):`+"\n%s", diff)
			}
		})
	}
}

// TestMountPoints checks the exact attributes of the image's mount points,
// including those NixOS computes inside the file-system submodule (a tmpfs's
// device, an overlay's type, device, options and depends).
func TestMountPoints(t *testing.T) {
	tests := []struct {
		name string
		host string
		path string
		want cty.Value
	}{
		{name: "cd-dvd root device", host: with("cd-dvd", plainHost), path: `fileSystems."/".device`, want: cty.StringVal("tmpfs")},
		{name: "cd-dvd root options", host: with("cd-dvd", plainHost), path: `fileSystems."/".options`, want: strs("mode=0755")},
		{name: "cd-dvd iso device", host: with("cd-dvd", ""), path: `fileSystems."/iso".device`, want: cty.StringVal("/dev/root")},
		{name: "cd-dvd iso fsType", host: with("cd-dvd", ""), path: `fileSystems."/iso".fsType`, want: cty.StringVal("auto")},
		{name: "cd-dvd iso neededForBoot", host: with("cd-dvd", ""), path: `fileSystems."/iso".neededForBoot`, want: cty.True},
		{name: "cd-dvd iso noCheck", host: with("cd-dvd", ""), path: `fileSystems."/iso".noCheck`, want: cty.True},
		{name: "cd-dvd iso under systemd stage 1", host: with("cd-dvd", def(`boot = { initrd = { systemd = { enable = true } } }`)), path: `fileSystems."/iso".device`, want: cty.StringVal("/dev/disk/by-label/nixos-26.11-x86_64")},
		{name: "cd-dvd ro-store device", host: with("cd-dvd", ""), path: `fileSystems."/nix/.ro-store".device`, want: cty.StringVal("/iso/nix-store.squashfs")},
		{name: "cd-dvd ro-store options", host: with("cd-dvd", ""), path: `fileSystems."/nix/.ro-store".options`, want: strs("loop")},
		{name: "cd-dvd rw-store device", host: with("cd-dvd", ""), path: `fileSystems."/nix/.rw-store".device`, want: cty.StringVal("tmpfs")},
		{name: "cd-dvd store fsType", host: with("cd-dvd", ""), path: `fileSystems."/nix/store".fsType`, want: cty.StringVal("overlay")},
		{name: "cd-dvd store device", host: with("cd-dvd", ""), path: `fileSystems."/nix/store".device`, want: cty.StringVal("overlay")},
		{name: "cd-dvd store options", host: with("cd-dvd", ""), path: `fileSystems."/nix/store".options`, want: strs("lowerdir=/nix/.ro-store", "upperdir=/nix/.rw-store/store", "workdir=/nix/.rw-store/work")},
		{name: "cd-dvd store depends", host: with("cd-dvd", ""), path: `fileSystems."/nix/store".depends`, want: strs("/nix/.ro-store", "/nix/.rw-store/store", "/nix/.rw-store/work")},
		{name: "host mount fsType", host: with("cd-dvd", plainHost), path: `fileSystems."/home".fsType`, want: cty.StringVal("ext4")},
		{name: "host mount default options", host: with("cd-dvd", plainHost), path: `fileSystems."/home".options`, want: strs("defaults")},
		{name: "host mount mountPoint is its key", host: with("cd-dvd", plainHost), path: `fileSystems."/home".mountPoint`, want: cty.StringVal("/home")},
		{name: "label gives the device", host: with("cd-dvd", def(`fileSystems = { "/data" = { label = "data" } }`)), path: `fileSystems."/data".device`, want: cty.StringVal("/dev/disk/by-label/data")},
		{name: "installer root options", host: with("installer", plainHost), path: `fileSystems."/".options`, want: strs("mode=0755")},
		{name: "installer store options", host: with("installer", ""), path: `fileSystems."/nix/store".options`, want: strs("lowerdir=/nix/.ro-store", "upperdir=/nix/.rw-store/store", "workdir=/nix/.rw-store/work")},
		{name: "netboot ro-store device", host: with("netboot", ""), path: `fileSystems."/nix/.ro-store".device`, want: cty.StringVal("../nix-store.squashfs")},
		{name: "netboot store fsType", host: with("netboot", ""), path: `fileSystems."/nix/store".fsType`, want: cty.StringVal("overlay")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := get(t, tc.host, tc.path)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tc.path, diags.Error())
			}
			if diff := cmp.Diff(tc.want, got, ctyCmp); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestSettings checks the other settings of the bases and how host
// definitions at each priority fare against them.
func TestSettings(t *testing.T) {
	tests := []struct {
		name    string
		host    string
		path    string
		want    cty.Value
		wantErr string // a regexp the diagnostics must match, instead of want
	}{
		// Swap and LUKS: only the installer replaces them.
		{name: "installer empties swap", host: with("installer", plainHost), path: "swapDevices", want: cty.ListValEmpty(cty.EmptyObject)},
		{name: "installer empties LUKS devices", host: with("installer", plainHost), path: "boot.initrd.luks.devices", want: cty.EmptyObjectVal},

		// GRUB: off at 60 in cd-dvd, plain in netboot.
		{name: "cd-dvd turns GRUB off", host: with("cd-dvd", ""), path: "boot.loader.grub.enable", want: cty.False},
		{name: "cd-dvd beats a plain GRUB", host: with("cd-dvd", def(`boot = { loader = { grub = { enable = true } } }`)), path: "boot.loader.grub.enable", want: cty.False},
		{name: "cd-dvd yields GRUB to mkForce", host: with("cd-dvd", def(`boot = { loader = { grub = { enable = mkForce(true) } } }`)), path: "boot.loader.grub.enable", want: cty.True},
		{name: "installer turns GRUB off", host: with("installer", def(`boot = { loader = { grub = { enable = true } } }`)), path: "boot.loader.grub.enable", want: cty.False},
		{name: "netboot turns GRUB off", host: with("netboot", ""), path: "boot.loader.grub.enable", want: cty.False},
		{name: "netboot GRUB conflicts with a plain host", host: with("netboot", def(`boot = { loader = { grub = { enable = true } } }`)), path: "boot.loader.grub.enable", wantErr: `(?i)conflicting`},
		{name: "without a base GRUB is on", host: `imports = ["<profiles/options/common.hcl>"]`, path: "boot.loader.grub.enable", want: cty.True},
		{name: "cd-dvd menu timeout", host: with("cd-dvd", ""), path: "boot.loader.timeout", want: cty.NumberIntVal(10)},
		{name: "cd-dvd timeout conflicts with a plain host", host: with("cd-dvd", def(`boot = { loader = { timeout = 5 } }`)), path: "boot.loader.timeout", wantErr: `(?i)conflicting`},

		// Kernel parameters and initrd modules.
		{name: "cd-dvd kernel parameters", host: with("cd-dvd", ""), path: "boot.kernelParams", want: strs("boot.shell_on_fail", "root=LABEL=nixos-26.11-x86_64")},
		{name: "cd-dvd kernel parameters follow the volume ID", host: with("cd-dvd", def(`isoImage = { volumeID = "MY_LIVE" }`)), path: "boot.kernelParams", want: strs("boot.shell_on_fail", "root=LABEL=MY_LIVE")},
		{name: "host kernel parameters come after the base's", host: with("cd-dvd", def(`boot = { kernelParams = ["console=ttyS0"] }`)), path: "boot.kernelParams", want: strs("boot.shell_on_fail", "root=LABEL=nixos-26.11-x86_64", "console=ttyS0")},
		{name: "systemd stage 1 needs no root label", host: with("cd-dvd", def(`boot = { initrd = { systemd = { enable = true } } }`)), path: "boot.kernelParams", want: strs()},
		{name: "netboot has no root label", host: with("netboot", ""), path: "boot.kernelParams", want: strs()},
		{name: "cd-dvd initrd modules", host: with("cd-dvd", ""), path: "boot.initrd.availableKernelModules", want: strs("squashfs", "iso9660", "uas", "overlay")},
		{name: "cd-dvd loaded modules", host: with("cd-dvd", ""), path: "boot.initrd.kernelModules", want: strs("loop", "overlay")},
		{name: "cd-dvd initrd file systems", host: with("cd-dvd", ""), path: "boot.initrd.supportedFilesystems", want: strs("vfat")},
		{name: "netboot initrd modules", host: with("netboot", ""), path: "boot.initrd.availableKernelModules", want: strs("squashfs", "overlay")},

		// The ISO image.
		{name: "edition in the volume ID", host: with("cd-dvd", def(`isoImage = { edition = "minimal" }`)), path: "isoImage.volumeID", want: cty.StringVal("nixos-minimal-26.11-x86_64")},
		{name: "volume ID too long", host: with("cd-dvd", def(`isoImage = { volumeID = "a-volume-id-that-is-much-too-long-for-iso" }`)), path: "isoImage.volumeID", wantErr: `is 41 characters\. That is 9 characters longer than the limit of 32`},
		{name: "cd-dvd is not EFI-bootable", host: with("cd-dvd", ""), path: "isoImage.makeEfiBootable", want: cty.False},
		{name: "cd-dvd is BIOS-bootable", host: with("cd-dvd", ""), path: "isoImage.makeBiosBootable", want: cty.True},
		{name: "installer is EFI-bootable", host: with("installer", ""), path: "isoImage.makeEfiBootable", want: cty.True},
		{name: "installer is USB-bootable", host: with("installer", ""), path: "isoImage.makeUsbBootable", want: cty.True},
		{name: "boot inputs default to null", host: with("cd-dvd", ""), path: "boot.files.kernel", want: cty.NullVal(cty.String)},
		{name: "netboot has no isoImage", host: with("netboot", def(`isoImage = { volumeID = "X" }`)), path: "boot.loader.timeout", wantErr: `isoImage`},

		// The installer's users and services.
		{name: "installer user", host: with("installer", ""), path: "users.users.nixos.isNormalUser", want: cty.True},
		{name: "installer user groups", host: with("installer", ""), path: "users.users.nixos.extraGroups", want: strs("wheel", "networkmanager", "video")},
		// Inside a submodule element the definitions are reversed once more
		// (spec section 2), so the host's groups come first, as in NixOS.
		{name: "installer user groups add up", host: with("installer", def(`users = { users = { "nixos" = { extraGroups = ["docker"] } } }`)), path: "users.users.nixos.extraGroups", want: strs("docker", "wheel", "networkmanager", "video")},
		{name: "installer user password", host: with("installer", ""), path: "users.users.nixos.initialHashedPassword", want: cty.StringVal("")},
		{name: "installer user home", host: with("installer", ""), path: "users.users.nixos.home", want: cty.StringVal("/home/nixos")},
		{name: "installer user yields to mkForce on its key", host: with("installer", def(`users = { users = { nixos = mkForce({ isNormalUser = true, extraGroups = ["wheel"] }) } }`)), path: "users.users.nixos.extraGroups", want: strs("wheel")},
		{name: "installer user password goes with its key", host: with("installer", def(`users = { users = { nixos = mkForce({ isNormalUser = true }) } }`)), path: "users.users.nixos.initialHashedPassword", want: cty.NullVal(cty.String)},
		{name: "installer root password", host: with("installer", ""), path: "users.users.root.initialHashedPassword", want: cty.StringVal("")},
		{name: "installer root password conflicts with a plain host", host: with("installer", def(`users = { users = { "root" = { initialHashedPassword = "x" } } }`)), path: "users.users.root.initialHashedPassword", wantErr: `(?i)conflicting`},
		{name: "installer root password yields to mkForce", host: with("installer", def(`users = { users = { "root" = { initialHashedPassword = mkForce("x") } } }`)), path: "users.users.root.initialHashedPassword", want: cty.StringVal("x")},
		{name: "root without the installer has no password", host: with("cd-dvd", ""), path: "users.users.root.initialHashedPassword", want: cty.NullVal(cty.String)},
		{name: "installer autologin", host: with("installer", ""), path: "services.getty.autologinUser", want: cty.StringVal("nixos")},
		{name: "installer autologin conflicts with a plain host", host: with("installer", def(`services = { getty = { autologinUser = "alice" } }`)), path: "services.getty.autologinUser", wantErr: `(?i)conflicting`},
		{name: "installer autologin yields to mkForce", host: with("installer", def(`services = { getty = { autologinUser = mkForce(null) } }`)), path: "services.getty.autologinUser", want: cty.NullVal(cty.String)},
		{name: "installer sudo without password", host: with("installer", ""), path: "security.sudo.wheelNeedsPassword", want: cty.False},
		{name: "installer sudo beats a plain host", host: with("installer", def(`security = { sudo = { wheelNeedsPassword = true } }`)), path: "security.sudo.wheelNeedsPassword", want: cty.False},
		{name: "installer sudo yields to mkForce", host: with("installer", def(`security = { sudo = { wheelNeedsPassword = mkForce(true) } }`)), path: "security.sudo.wheelNeedsPassword", want: cty.True},
		{name: "installer sudo enable is a default", host: with("installer", def(`security = { sudo = { enable = false } }`)), path: "security.sudo.enable", want: cty.False},
		{name: "installer documentation", host: with("installer", def(`documentation = { enable = false }`)), path: "documentation.enable", want: cty.True},
		{name: "installer sshd", host: with("installer", ""), path: "services.openssh.enable", want: cty.True},
		{name: "installer sshd is a default", host: with("installer", def(`services = { openssh = { enable = false } }`)), path: "services.openssh.enable", want: cty.False},
		{name: "installer wireless", host: with("installer", ""), path: "networking.wireless.enable", want: cty.True},
		{name: "installer wireless is a default", host: with("installer", def(`networking = { wireless = { enable = false } }`)), path: "networking.wireless.enable", want: cty.False},
		{name: "installer variant", host: with("installer", ""), path: "system.nixos.variant_id", want: cty.StringVal("installer")},
		{name: "installer variant is a default", host: with("installer", def(`system = { nixos = { variant_id = "rescue" } }`)), path: "system.nixos.variant_id", want: cty.StringVal("rescue")},
		{name: "cd-dvd leaves sshd off", host: with("cd-dvd", ""), path: "services.openssh.enable", want: cty.False},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := get(t, tc.host, tc.path)
			if tc.wantErr != "" {
				if !diags.HasErrors() {
					t.Fatalf("%s = %#v, want an error matching %q", tc.path, got, tc.wantErr)
				}
				if !regexp.MustCompile(tc.wantErr).MatchString(diags.Error()) {
					t.Errorf("errors do not match %q:\n%s", tc.wantErr, diags.Error())
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tc.path, diags.Error())
			}
			if diff := cmp.Diff(tc.want, got, ctyCmp); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestCollections checks which elements of list and attribute-set options
// survive: swap and LUKS devices (replaced only by the installer) and users.
func TestCollections(t *testing.T) {
	tests := []struct {
		name string
		host string
		path string
		want []string // the keys of an object, or the devices of a swap list
	}{
		{name: "cd-dvd keeps host swap", host: with("cd-dvd", plainHost), path: "swapDevices", want: []string{"/dev/sda3"}},
		{name: "netboot keeps host swap", host: with("netboot", plainHost), path: "swapDevices", want: []string{"/dev/sda3"}},
		{name: "installer empties swap", host: with("installer", plainHost), path: "swapDevices", want: nil},
		{name: "installer yields swap to mkForce", host: with("installer", wholeForceHost), path: "swapDevices", want: []string{"/dev/sda3"}},
		{name: "cd-dvd keeps host LUKS devices", host: with("cd-dvd", plainHost), path: "boot.initrd.luks.devices", want: []string{"cryptroot"}},
		{name: "netboot keeps host LUKS devices", host: with("netboot", plainHost), path: "boot.initrd.luks.devices", want: []string{"cryptroot"}},
		{name: "installer empties LUKS devices", host: with("installer", plainHost), path: "boot.initrd.luks.devices", want: nil},
		{name: "cd-dvd has only root", host: with("cd-dvd", ""), path: "users.users", want: []string{"root"}},
		{name: "installer adds nixos", host: with("installer", ""), path: "users.users", want: []string{"nixos", "root"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, diags := get(t, tc.host, tc.path)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tc.path, diags.Error())
			}
			var got []string
			switch {
			case v.IsNull() || !v.IsKnown():
				t.Fatalf("%s is %#v, want a collection", tc.path, v)
			case v.Type().IsObjectType() || v.Type().IsMapType():
				got = keys(v)
			default:
				for it := v.ElementIterator(); it.Next(); {
					_, el := it.Element()
					got = append(got, el.GetAttr("device").AsString())
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestDeterministic evaluates each base twice, and with an independent
// module before and after the host, and compares the whole JSON.
func TestDeterministic(t *testing.T) {
	extra := def(`fileSystems = { "/data" = { device = "/dev/sdb1" } }`)
	for _, base := range []string{"cd-dvd", "installer", "netboot"} {
		t.Run(base, func(t *testing.T) {
			var outs []string
			for _, order := range [][]string{{"main.hcl", "extra.hcl"}, {"main.hcl", "extra.hcl"}, {"extra.hcl", "main.hcl"}} {
				fsys := fstest.MapFS{
					"main.hcl":  {Data: []byte(with(base, plainHost))},
					"extra.hcl": {Data: []byte(extra)},
				}
				cfg := &merge.Config{FS: fsys, Roots: map[string]fs.FS{profiles.Root: profiles.FS()}}
				r, diags := cfg.Eval(order...)
				if diags.HasErrors() {
					t.Fatalf("evaluating %v: %s", order, diags.Error())
				}
				b, err := r.MarshalJSON()
				if err != nil {
					t.Fatalf("JSON of %v: %v", order, err)
				}
				outs = append(outs, string(b))
			}
			for i := 1; i < len(outs); i++ {
				if outs[i] != outs[0] {
					t.Errorf("evaluation %d differs from the first:\n%s", i, cmp.Diff(outs[0], outs[i]))
				}
			}
			// The installer replaces the whole layout; the others keep /data.
			if got, want := strings.Contains(outs[0], `"/data"`), base != "installer"; got != want {
				t.Errorf("the JSON has the host's /data mount: %v, want %v\n%s", got, want, outs[0])
			}
		})
	}
}

// TestDescriptions checks that every option the bases declare has a
// description.
func TestDescriptions(t *testing.T) {
	src, err := os.ReadFile(docsModule)
	if err != nil {
		t.Fatal(err)
	}
	r, diags := eval(t, map[string]string{"main.hcl": string(src)})
	if diags.HasErrors() {
		t.Fatalf("evaluation failed: %s", diags.Error())
	}
	opts := r.Options()
	if len(opts) == 0 {
		t.Fatal("no options declared")
	}
	for _, o := range opts {
		if strings.TrimSpace(o.Description) == "" {
			t.Errorf("%s (declared at %v) has no description", o.Path, o.Declarations)
		}
	}
}

// TestContentsPaths checks that a relative source in isoImage.contents is
// resolved against the folder of the module that gives it, so the media
// builder can open it wherever the command runs.
func TestContentsPaths(t *testing.T) {
	r, diags := eval(t, map[string]string{
		"main.hcl":      `imports = ["<profiles/cd-dvd.hcl>", "./sub/extra.hcl"]`,
		"sub/extra.hcl": def(`isoImage = { contents = [{ source = "./motd.txt", target = "/etc/motd" }] }`),
		"sub/motd.txt":  "hello\n",
	})
	if diags.HasErrors() {
		t.Fatalf("evaluation failed: %s", diags.Error())
	}
	got, diags := r.Get("isoImage.contents")
	if diags.HasErrors() {
		t.Fatalf("isoImage.contents: %s", diags.Error())
	}
	want := cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
		"source": cty.StringVal("sub/motd.txt"),
		"target": cty.StringVal("/etc/motd"),
	})})
	if diff := cmp.Diff(want, got, ctyCmp); diff != "" {
		t.Errorf("isoImage.contents (-want +got):\n%s", diff)
	}
}

// TestNixOSHost checks that a host written as for NixOS, with the settings
// a NixOS installation commonly makes, evaluates with each base, and that
// the base's overrides still win where they should.
func TestNixOSHost(t *testing.T) {
	host := `
config {
  boot {
    loader {
      grub {
        device = "/dev/sda"
      }
      efi {
        canTouchEfiVariables = true
      }
    }
    kernelModules = ["kvm-intel"]
  }
  fileSystems "/" {
    device = "/dev/disk/by-label/nixos"
    fsType = "ext4"
  }
  swapDevices = [{ device = "/dev/disk/by-label/swap" }]
  networking {
    hostName = "demo"
    networkmanager { enable = true }
    firewall { allowedTCPPorts = [80, 443] }
  }
  time { timeZone = "Europe/Paris" }
  i18n { defaultLocale = "en_GB.UTF-8" }
  console { keyMap = "uk" }
  users {
    users "alice" {
      isNormalUser = true
      extraGroups  = ["wheel"]
    }
  }
  services {
    openssh {
      settings { PasswordAuthentication = false }
    }
  }
  system { stateVersion = "24.11" }
}
`
	for _, base := range []string{"cd-dvd", "installer", "netboot"} {
		t.Run(base, func(t *testing.T) {
			r, diags := eval(t, map[string]string{"main.hcl": with(base, host)})
			if diags.HasErrors() {
				t.Fatalf("evaluation failed: %s", diags.Error())
			}
			if _, err := r.MarshalJSON(); err != nil {
				t.Fatalf("JSON: %v", err)
			}
			for path, want := range map[string]cty.Value{
				"boot.loader.grub.enable": cty.False,
				`fileSystems."/".fsType`:  cty.StringVal("tmpfs"),
				"users.users.alice.home":  cty.StringVal("/home/alice"),
				"networking.hostName":     cty.StringVal("demo"),
				"boot.loader.grub.device": cty.StringVal("/dev/sda"),
				"system.stateVersion":     cty.StringVal("24.11"),
				"services.openssh.ports":  cty.TupleVal([]cty.Value{cty.NumberIntVal(22)}),
				"users.users.alice.group": cty.StringVal("users"),
			} {
				got, diags := r.Get(path)
				if diags.HasErrors() {
					t.Errorf("%s: %s", path, diags.Error())
					continue
				}
				if diff := cmp.Diff(want, got, ctyCmp); diff != "" {
					t.Errorf("%s (-want +got):\n%s", path, diff)
				}
			}
		})
	}
}

// TestSwapLabel checks that a swap device given by label gets its device
// path, as in NixOS's swap.nix.
func TestSwapLabel(t *testing.T) {
	got, diags := get(t, with("cd-dvd", def(`swapDevices = [{ label = "swap" }]`)), "swapDevices")
	if diags.HasErrors() {
		t.Fatalf("swapDevices: %s", diags.Error())
	}
	var devices []string
	for it := got.ElementIterator(); it.Next(); {
		_, el := it.Element()
		devices = append(devices, el.GetAttr("device").AsString())
	}
	if diff := cmp.Diff([]string{"/dev/disk/by-label/swap"}, devices); diff != "" {
		t.Errorf("swap devices (-want +got):\n%s", diff)
	}
}

// BenchmarkEval evaluates a host with each base and renders the whole
// configuration, as strata eval does.
func BenchmarkEval(b *testing.B) {
	for _, base := range []string{"cd-dvd", "installer", "netboot"} {
		b.Run(base, func(b *testing.B) {
			fsys := fstest.MapFS{"main.hcl": {Data: []byte(with(base, plainHost))}}
			cfg := &merge.Config{FS: fsys, Roots: map[string]fs.FS{profiles.Root: profiles.FS()}}
			for b.Loop() {
				r, diags := cfg.Eval("main.hcl")
				if diags.HasErrors() {
					b.Fatal(diags.Error())
				}
				if _, err := r.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
