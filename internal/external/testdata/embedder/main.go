// Command embedder uses strata as an outside Go module would: it evaluates
// the installer base plus a host configuration held in memory, with an
// argument and a function of its own (and once with a cancelled context),
// decodes fileSystems into its own struct, compares it with go-cmp, and
// writes an ISO image into a bytes.Buffer, which it reads back. It prints
// one line per check and exits 1 on the first failure.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kdomanski/iso9660"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/strata-build/strata/iso"
	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

// host is a machine's own configuration on top of the installer base. Its
// root file system is shadowed: the installer overrides the whole layout
// with mkImageMediaOverride, as NixOS's installation-cd-base.nix does.
const host = `imports = ["<profiles/installer.hcl>"]

config {
  networking { hostName = machineName(arg.site, 7) }
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "ext4"
  }
}
`

// FileSystem is this program's own view of a mount.
type FileSystem struct {
	Device        string `cty:"device"`
	Type          string `json:"fsType"`
	NeededForBoot bool   `cty:"neededForBoot"`
}

func main() {
	if err := run(); err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg := &merge.Config{
		FS:    fstest.MapFS{"host.hcl": {Data: []byte(host)}},
		Roots: map[string]fs.FS{profiles.Root: profiles.FS()},
		Args:  map[string]cty.Value{"site": cty.StringVal("ams")},
		Functions: map[string]function.Function{
			// machineName(site, n) is a function of this program's own.
			"machineName": function.New(&function.Spec{
				Params: []function.Parameter{{Name: "site", Type: cty.String}, {Name: "n", Type: cty.Number}},
				Type:   function.StaticReturnType(cty.String),
				Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
					n, _ := args[1].AsBigFloat().Int64()
					return cty.StringVal(fmt.Sprintf("%s%02d", args[0].AsString(), n)), nil
				},
			}),
		},
	}

	// A cancelled context stops the evaluation with an error and no result.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, diags := cfg.EvalContext(ctx, "host.hcl"); r != nil || !diags.HasErrors() {
		return fmt.Errorf("eval with a cancelled context: result %v, diagnostics %v", r, diags)
	}
	fmt.Println("cancel: ok")

	r, diags := cfg.Eval("host.hcl")
	if diags.HasErrors() {
		return fmt.Errorf("eval: %s", diags.Error())
	}
	fmt.Println("eval: ok")

	var mounts map[string]FileSystem
	if diags := r.Decode("fileSystems", &mounts); diags.HasErrors() {
		return fmt.Errorf("decode: %s", diags.Error())
	}
	want := map[string]FileSystem{
		"/":              {Device: "tmpfs", Type: "tmpfs"},
		"/iso":           {Device: "/dev/root", Type: "auto", NeededForBoot: true},
		"/nix/.ro-store": {Device: "/iso/nix-store.squashfs", Type: "squashfs", NeededForBoot: true},
		"/nix/.rw-store": {Device: "tmpfs", Type: "tmpfs", NeededForBoot: true},
		"/nix/store":     {Device: "overlay", Type: "overlay"},
	}
	if diff := cmp.Diff(want, mounts); diff != "" {
		return fmt.Errorf("fileSystems (-want +got):\n%s", diff)
	}
	fmt.Println("fileSystems: ok")

	var hostName string
	if diags := r.Decode("networking.hostName", &hostName); diags.HasErrors() {
		return fmt.Errorf("decode: %s", diags.Error())
	}
	if hostName != "ams07" {
		return fmt.Errorf("networking.hostName = %q, want the argument through the program's function, %q", hostName, "ams07")
	}
	fmt.Println("arguments and functions: ok")
	config, err := r.MarshalJSON()
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}

	w := iso.NewWriter(&iso.Options{
		VolumeID: strings.ToUpper(hostName),
		ModTime:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	err = w.Add(iso.Entry{
		Path: "strata/configuration.json",
		Mode: 0o444,
		Size: int64(len(config)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(config)), nil },
	})
	if err != nil {
		return fmt.Errorf("iso: %w", err)
	}
	var image bytes.Buffer
	n, err := w.WriteTo(&image)
	if err != nil {
		return fmt.Errorf("iso: %w", err)
	}
	if n != int64(image.Len()) || n%2048 != 0 {
		return fmt.Errorf("iso: WriteTo reported %d bytes, buffer holds %d", n, image.Len())
	}
	fmt.Println("image: ok")

	got, err := readBack(image.Bytes(), "STRATA", "CONFIGURATION.JSON")
	if err != nil {
		return err
	}
	if !bytes.Equal(got, config) {
		return fmt.Errorf("read back %d bytes, want the %d of the configuration", len(got), len(config))
	}
	fmt.Println("read back: ok")
	return nil
}

// readBack finds dir/name in the image with kdomanski/iso9660's reader and
// returns its data. The reader sees ISO 9660 names, which may end in ";1".
func readBack(image []byte, dir, name string) ([]byte, error) {
	img, err := iso9660.OpenImage(bytes.NewReader(image))
	if err != nil {
		return nil, fmt.Errorf("read back: %w", err)
	}
	root, err := img.RootDir()
	if err != nil {
		return nil, fmt.Errorf("read back: %w", err)
	}
	d, err := child(root, dir)
	if err != nil {
		return nil, err
	}
	f, err := child(d, name)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f.Reader())
}

func child(dir *iso9660.File, name string) (*iso9660.File, error) {
	kids, err := dir.GetChildren()
	if err != nil {
		return nil, fmt.Errorf("read back: %w", err)
	}
	var names []string
	for _, k := range kids {
		n := strings.TrimSuffix(strings.ToUpper(k.Name()), ";1")
		if n == name {
			return k, nil
		}
		names = append(names, k.Name())
	}
	return nil, fmt.Errorf("read back: no %s among %v", name, names)
}
